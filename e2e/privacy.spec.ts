// Privacy lab end to end: insert canaries into a dataset (a new version), train a short run, and read the privacy report.
import { test, expect } from './fixtures';
import { createExampleDataset, openPage, screenshot, startTinyRun, useBackendFromEnv, useTinyModel } from './helpers';

useBackendFromEnv();

test('insert canaries → train → the privacy report shows each canary’s exposure and the MIA AUC', async ({ page }) => {
  await page.goto('/');
  await useTinyModel(page);
  await createExampleDataset(page);

  // A template without a slot is refused with a message that says how to write one.
  await page.getByLabel('Template').fill('my pin is 123');
  await page.getByRole('button', { name: 'Insert canaries' }).click();
  await expect(page.getByRole('alert')).toContainText(/no secret slot/);
  await page.getByRole('button', { name: 'Dismiss' }).last().click();

  await page.getByLabel('Template').fill('my pin is {ddd}');
  await page.getByLabel('Repetitions (one canary each)').fill('1, 8');
  await page.getByRole('button', { name: 'Insert canaries' }).click();
  // The new version: 400 rows + 1 + 8 canary rows; the original dataset stays.
  await expect(page.getByTestId('dataset-rows')).toHaveText('409');
  await expect(page.getByText(/This version holds 2 canaries/)).toBeVisible();
  await screenshot(page, 'privacy-insert-canaries');

  await startTinyRun(page, { steps: 6, checkpointEvery: 6 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });

  await openPage(page, 'Evaluate');
  await page.getByRole('button', { name: 'Measure leakage' }).click();
  const canaries = page.getByRole('table', { name: 'Canary exposure' });
  await expect(canaries).toBeVisible({ timeout: 120_000 });
  await expect(canaries.locator('tbody tr')).toHaveCount(2);
  // Exposure of a 1,000-secret space lies in [0, log2 1000 ≈ 9.97] bits; each row names its repetitions and extraction verdict.
  for (const row of await canaries.locator('tbody tr').all()) {
    const cells = await row.locator('td').allTextContents();
    expect(cells[2]).toMatch(/^\d+\.\d\d of 9\.97$/);
    expect(Number(cells[2].split(' ')[0])).toBeLessThanOrEqual(9.97);
    expect(cells[4]).toMatch(/^(yes|no)$/);
  }
  await expect(canaries.locator('tbody tr').first().locator('td').nth(1)).toHaveText('1');
  console.log(`canary rows: ${JSON.stringify(await canaries.locator('tbody tr').allTextContents())}`);
  const mia = page.getByRole('table', { name: 'Membership inference' });
  await expect(mia.locator('tbody tr')).toHaveCount(2);
  await expect(mia.locator('tbody tr').first()).toContainText(/0\.\d\d \[0\.\d\d, [01]\.\d\d\]/);
  await screenshot(page, 'privacy-report');
  // The chart drew the guessing diagonal and one ROC curve per attack.
  await expect(page.getByRole('figure').filter({ hasText: 'Membership inference ROC' }).locator('[aria-label="line"] path')).toHaveCount(3);
});
