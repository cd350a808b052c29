// The matched-gain preset in real Chromium: explained with its source, bad stopping knobs refused before anything runs,
// and its quick check (tiny untrained base, 1 seed, 6 steps at most per run) trains for real and reports its runs.
import { test, expect } from './fixtures';
import { screenshot } from './helpers';

test('Matched gain preset: explained, bad stopping knobs refused, its quick check runs and reports every run', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/#/experiments');
  const preset = page.getByRole('button', { name: /^LoRA vs full FT at matched gain/ });
  await preset.click();
  await expect(preset).toHaveAttribute('aria-pressed', 'true');
  expect(new URL(page.url()).searchParams.get('preset')).toBe('matched-gain');
  const explain = page.getByTestId('preset-explain');
  await expect(explain).toContainText('Comparing methods after the same number of steps is unfair');
  await expect(explain.getByRole('link', { name: /Biderman et al\. 2024/ })).toHaveAttribute('href', 'https://arxiv.org/abs/2405.09673');
  await expect(page.getByRole('button', { name: 'Run all 12' })).toBeEnabled();

  // A target above 1 and a check that never comes within the cap: each field says why, Run is blocked, the link keeps the text.
  const target = page.getByLabel('Stop when the target reaches (dev exact match)');
  await expect(target).toHaveValue('0.3');
  await target.fill('1.5');
  await expect(page.getByText('1.5 is above 1: enter a number above 0 and at most 1, such as 0.7.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run — fix the marked fields first' })).toBeDisabled();
  expect(new URL(page.url()).searchParams.get('matchTarget')).toBe('1.5');
  await target.fill('0.3');
  const every = page.getByLabel('Check the dev probe every (steps)');
  await every.fill('500');
  await expect(page.getByText(/A check every 500 steps never comes within the cap of 100 steps/)).toBeVisible();
  await every.fill('5');
  await expect(page.getByRole('button', { name: 'Run all 12' })).toBeEnabled();
  await screenshot(page, 'experiments-matched-gain-setup');

  // The quick check's untrained base never reaches the target: both runs train to the cap and are reported as such.
  await page.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('region', { name: 'Quick check' })).toContainText('reduced copy of your LoRA vs full FT at matched gain setup');
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 200_000 });
  const table = page.getByRole('table', { name: 'Measured points (matched-forgetting)' });
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table).toContainText('LoRA r4 (0/1 reached)');
  await expect(table).toContainText('full FT (0/1 reached)');
  const reading = page.getByTestId('reading-matched-forgetting');
  await expect(reading).toContainText('Each run stopped at the first check (every 2 steps) where ROUTE reached 0.3 on 3 dev items.');
  await expect(reading).toContainText('LoRA r4 at lr 0.003: no run reached the target; never reached in seed 1');
  await expect(reading).toContainText('No comparison yet');
  await screenshot(page, 'experiments-matched-gain-quick');

  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  await expect(stage.getByTestId('stage-reading')).toContainText('No comparison yet');
  await screenshot(page, 'experiments-matched-gain-stage');
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();
});
