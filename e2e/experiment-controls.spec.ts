// The Experiments controls a newcomer meets: fields checked as typed in their own words (and kept in the link), a
// quick check that leaves the setup recoverable, a Run button that says when everything is stored, a sweep ETA.
import { test, expect, type Page } from './fixtures';
import { reducedSpec, saturationPreset } from '../src/engine/experiments/presets';
import { specToQuery } from '../src/engine/experiments/url-state';
import { screenshot } from './helpers';

function query(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}

/** The field's message, found through its aria-describedby (what a screen reader reads). */
async function fieldError(page: Page, label: string): Promise<string> {
  const field = page.getByRole('textbox', { name: label, exact: true });
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  const id = await field.getAttribute('aria-describedby');
  return (await page.locator(`[id="${id}"]`).textContent()) ?? '';
}

test('invalid entries show their message next to the field, stay in the link and block Run', async ({ page }) => {
  const link = specToQuery(saturationPreset());
  link.set('adjacent', 'XYZ');
  await page.goto(`/?${link}#/experiments`);
  await expect(page.getByTestId('link-notices')).toContainText('“XYZ” were left out');
  const run = page.getByRole('button', { name: 'Run all 35' });
  await expect(run).toBeEnabled();

  await page.getByRole('textbox', { name: 'Seeds', exact: true }).fill('0');
  expect(await fieldError(page, 'Seeds')).toBe('0 is below 1: enter a whole number from 1 to 10.');
  await page.getByRole('textbox', { name: 'Axis 1 values (comma-separated)' }).fill('abc, -3');
  expect(await fieldError(page, 'Axis 1 values (comma-separated)')).toBe(
    'Entry 1, “abc”, is not a number; entry 2, “-3”, is below 0. Each value must be a whole number from 0 to 2000.',
  );
  await page.getByRole('textbox', { name: 'Steps', exact: true }).fill('-5');
  const steps = await fieldError(page, 'Steps');
  expect(steps).toBe('-5 is below 1: enter a whole number from 1 to 100000.');
  await expect(page.getByRole('button', { name: 'Run — fix the marked fields first' })).toBeDisabled();
  await expect(page.getByText('Run is blocked until the marked fields are fixed')).toContainText('fixed: Axis 1 values (Clean examples); Seeds; Steps.');
  // The link holds exactly what the fields hold.
  expect(query(page).get('seeds')).toBe('0');
  expect(query(page).get('axis1')).toBe('trainSize:abc, -3');
  expect(query(page).get('steps')).toBe('-5');
  await screenshot(page, 'experiments-invalid-fields');
  const body = (await page.locator('main').textContent()) ?? '';
  expect(body).not.toMatch(/maxSteps|NaN/);

  // A reload brings the same text back with the same messages.
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Axis 1 values (comma-separated)' })).toHaveValue('abc, -3');
  expect(await fieldError(page, 'Seeds')).toContain('0 is below 1');
  expect(await fieldError(page, 'Steps')).toContain('-5 is below 1');

  // Fixing the fields unblocks Run and puts the values in the link.
  await page.getByRole('textbox', { name: 'Seeds', exact: true }).fill('3');
  await page.getByRole('textbox', { name: 'Axis 1 values (comma-separated)' }).fill('50, 100');
  await page.getByRole('textbox', { name: 'Steps', exact: true }).fill('40');
  await expect(page.getByRole('textbox', { name: 'Seeds', exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Run all 12' })).toBeEnabled();
  expect(query(page).get('axis1')).toBe('trainSize:50,100');
  expect(query(page).get('steps')).toBe('40');

  // A preset click replaces the setup, and says how to get it back.
  await page.getByRole('button', { name: /^Generalization cliff/ }).click();
  await expect(page.getByRole('textbox', { name: 'Seeds', exact: true })).toHaveValue('5');
  await screenshot(page, 'experiments-preset-replaced');
  await page.getByRole('button', { name: 'Back to my previous setup' }).click();
  await expect(page.getByRole('textbox', { name: 'Seeds', exact: true })).toHaveValue('3');
  await expect(page.getByRole('textbox', { name: 'Axis 1 values (comma-separated)' })).toHaveValue('50, 100');
  await expect(page.getByRole('button', { name: 'Run all 12' })).toBeEnabled();
});

test('Quick check runs a reduced copy, keeps the setup recoverable, and a stored sweep says so on its button', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`/?${specToQuery(saturationPreset())}#/experiments`);
  await page.getByRole('textbox', { name: 'Seeds', exact: true }).fill('3');
  await expect(page.getByRole('button', { name: 'Run all 21' })).toBeEnabled();

  await page.getByRole('button', { name: /^Quick check/ }).click();
  const banner = page.getByRole('region', { name: 'Quick check' });
  await expect(banner).toContainText('reduced copy of your Saturation setup');
  // The setup is still in the form and in the link while the copy runs.
  await expect(page.getByRole('textbox', { name: 'Seeds', exact: true })).toHaveValue('3');
  expect(query(page).get('quick')).toBe('1');
  expect(query(page).get('seeds')).toBe('3');
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 150_000 });
  await expect(page.getByRole('table', { name: 'Measured points (saturation)' }).locator('tbody tr')).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'All 3 runs stored — showing results' })).toBeDisabled();
  await screenshot(page, 'experiments-quick-check');

  await page.getByRole('button', { name: 'Back to my setup' }).click();
  await expect(banner).toBeHidden();
  await expect(page.getByRole('textbox', { name: 'Seeds', exact: true })).toHaveValue('3');
  await expect(page.getByRole('button', { name: 'Run all 21' })).toBeEnabled();
  expect(query(page).get('quick')).toBeNull();

  // Again: every quick-check run is stored, so it finishes at once and says so.
  await page.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All 3 runs of the quick check are stored — showing their results.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'All 3 runs stored — showing results' })).toBeDisabled();
});

test('a running sweep shows run k of n and the time left, measured from its finished runs', async ({ page }) => {
  test.setTimeout(180_000);
  // Run 1 takes 2 steps; run 2 cannot finish within the test (100,000 steps), so "while it runs" holds by construction.
  const spec = { ...reducedSpec(saturationPreset()), axes: [{ knob: 'steps' as const, values: [2, 100_000] }], extraCells: [] };
  await page.goto(`/?${specToQuery(spec)}#/experiments`);
  await expect(page.getByTestId('sweep-estimate')).toHaveText(/^No time estimate yet/);
  await page.getByRole('button', { name: 'Run all 2' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Run 2 of 2 · step \d+\/100000/ })).toBeVisible({ timeout: 120_000 });
  const eta = page.getByTestId('sweep-eta');
  await expect(eta).toHaveText(/^about (\d+ h \d+ min|\d+ min \d+ s) left for the sweep$/);
  await screenshot(page, 'experiments-eta');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Cancelled: 1 run finished/ })).toBeVisible();
  // Before the next run the estimate rests on the run measured here.
  await expect(page.getByTestId('sweep-estimate')).toHaveText(/^Estimated time: about .* for 1 run on this device, timed from 1 run of this model here\.$/);
  await expect(page.getByRole('button', { name: 'Run the 1 missing (1 of 2 stored)' })).toBeEnabled();
});
