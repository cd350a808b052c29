// The Cohorts preset in real Chromium: explained with its source, bad cohort shares refused before anything runs, and
// its quick check (tiny untrained base, 1 seed, 6 steps per run) trains for real and draws the per-cohort chart.
import { test, expect, type Page } from './fixtures';
import { screenshot } from './helpers';

async function tableRows(page: Page, slide: string): Promise<string[][]> {
  const table = page.getByRole('table', { name: `Measured points (${slide})` });
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent!.trim())));
}

test('Cohorts preset: explained, bad shares refused, its quick check runs and the per-cohort chart appears', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/#/experiments');
  await page.getByRole('button', { name: /^Cohorts/ }).click();
  await expect(page.getByRole('button', { name: /^Cohorts/ })).toHaveAttribute('aria-pressed', 'true');
  expect(new URL(page.url()).searchParams.get('preset')).toBe('cohorts');
  const explain = page.getByTestId('preset-explain');
  await expect(explain).toContainText('An average can hide a group it fails');
  await expect(explain.getByRole('link', { name: /Idrissi et al\. 2022/ })).toHaveAttribute('href', 'https://arxiv.org/abs/2110.14503');
  await expect(page.getByRole('button', { name: 'Run all 9' })).toBeEnabled();

  // Shares that do not sum to one: the field says so, Run is blocked, and the link keeps the typed text.
  const shares = page.getByLabel('Cohort shares of the training data (us, uk, caps)');
  await expect(shares).toHaveValue('us 0.95, caps 0.05');
  await shares.fill('us 0.9, caps 0.05');
  await expect(page.getByText('The shares sum to 0.95, not 1')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run — fix the marked fields first' })).toBeDisabled();
  expect(new URL(page.url()).searchParams.get('cohorts')).toBe('us 0.9, caps 0.05');
  await shares.fill('us 1, caps 0');
  await expect(page.getByText(/Cohort “caps” has share 0: an empty cohort/)).toBeVisible();
  await shares.fill('us 0.95, caps 0.05');
  await expect(page.getByRole('button', { name: 'Run all 9' })).toBeEnabled();

  await page.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('region', { name: 'Quick check' })).toContainText('reduced copy of your Cohorts setup');
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 200_000 });

  // Base before fine-tuning, then each run kind: both cohorts and the overall score at the shares.
  const rows = await tableRows(page, 'cohorts');
  expect(rows.map((r) => `${r[1]} | ${r[0]}`)).toEqual(
    ['base, before fine-tuning', 'as sampled', 'loss reweighting', 'balanced sampling'].flatMap((v) => [`${v} | us (share 0.95)`, `${v} | caps (share 0.05)`, `${v} | overall at the shares`]),
  );
  const chart = page.getByRole('figure', { name: /Cohorts: held-out exact match on ROUTE per cohort/ });
  await chart.scrollIntoViewIfNeeded();
  await screenshot(page, 'experiments-cohorts-chart');
  // One dot per cohort and run kind, its tooltip the table's score.
  const titles = await chart.locator('svg circle title').allTextContents();
  expect(titles).toHaveLength(12);
  for (const [series, x, score] of rows) expect(titles).toContain(`${x} · ${series}: ${score} (1 run)`);
  const reading = page.getByTestId('reading-cohorts');
  await expect(reading).toContainText('As sampled, after 6 steps: us ');
  await expect(reading).toContainText('caps against us on the same tickets');
  await expect(reading).toContainText('Balanced sampling against as sampled, paired by seed (1)');
  await expect(reading).toContainText('One seed: the intervals cover the eval items');

  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  await expect(stage.getByTestId('stage-reading')).toContainText('As sampled, after 6 steps');
  await screenshot(page, 'experiments-cohorts-stage');
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();
});
