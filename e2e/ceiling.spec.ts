// The Capability ceiling preset in real Chromium: explained with its sources, a base that is not installed and a split
// leaving no held-out entity refused before anything runs, and its quick check (an untrained seed model and the same
// seed model under a second name, 4 steps each) trains each base for real and draws the per-base chart, table and stage
// view; the measured default-size cells, stored as the page stores them, fit the stage at 1280×720.
import { test, expect } from './fixtures';
import { expectLegibleCharts } from './chart-labels';
import { screenshot } from './helpers';
import { storeMeasuredCells } from './measured-cells';

test('Capability ceiling preset: explained, bad bases and splits refused, its quick check trains each base and charts it', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/#/experiments');
  const preset = page.getByRole('button', { name: /^Capability ceiling/ });
  await preset.click();
  await expect(preset).toHaveAttribute('aria-pressed', 'true');
  expect(new URL(page.url()).searchParams.get('preset')).toBe('ceiling');
  const explain = page.getByTestId('preset-explain');
  await expect(explain).toContainText('Fine-tuning mostly teaches a model how to answer, not what is true');
  await expect(explain.getByRole('link', { name: /Gekhman et al\. 2024/ })).toHaveAttribute('href', 'https://arxiv.org/abs/2405.05904');
  await expect(page.getByRole('button', { name: 'Run all 12' })).toBeEnabled();

  // A base this build does not ship, then no base at all, then a split with no held-out entity: each field says why.
  const bases = page.getByLabel('Bases (comma-separated; the same fine-tune on each)');
  const shipped = await bases.inputValue();
  await bases.fill('tiny-world-ctx256-70k, tiny-world-9m');
  await expect(page.getByText(/“tiny-world-9m” is not installed in this build: pick from tiny-world-800k/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run — fix the marked fields first' })).toBeDisabled();
  expect(new URL(page.url()).searchParams.get('bases')).toBe('tiny-world-ctx256-70k, tiny-world-9m');
  await bases.fill('');
  await expect(page.getByText(/Name at least one base/)).toBeVisible();
  await bases.fill(shipped);
  const split = page.getByLabel('Trained entities (of 20; the rest are held out)');
  await split.fill('20');
  await expect(page.getByText('20 is above 19: enter a whole number from 1 to 19, such as 12.')).toBeVisible();
  await split.fill('12');
  await expect(page.getByRole('button', { name: 'Run all 12' })).toBeEnabled();
  await screenshot(page, 'experiments-ceiling-setup');

  await page.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('region', { name: 'Quick check' })).toContainText('reduced copy of your Capability ceiling setup');
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 150_000 });
  const table = page.getByRole('table', { name: 'Measured points (ceiling)' });
  await expect(table).toContainText('seed:tiny');
  await expect(table).toContainText('seed:tiny-b');
  await expect(table).toContainText('FACT before fine-tuning (x)');
  const reading = page.getByTestId('reading-ceiling');
  await expect(reading).toContainText('seed:tiny-b: FACT before fine-tuning 0.00');
  await expect(reading).toContainText('One seed: the intervals cover the eval facts');
  await screenshot(page, 'experiments-ceiling-quick');

  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  await expect(stage.getByTestId('stage-reading')).toContainText('Paired by seed');
  await screenshot(page, 'experiments-ceiling-stage');
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();
});

/** The measured default-size cells (docs/results.md), stored as the Experiments page stores them: no training here. */
const MEASURED = 'scripts/experiments/results/ceiling/ceiling-3seeds.json';

test('Capability ceiling presentation view: the measured four bases, named and apart, fit the stage at 1280×720', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#/experiments');
  await page.getByRole('button', { name: /^Capability ceiling/ }).click();
  await storeMeasuredCells(page, MEASURED, { run: (cell) => `Capability ceiling · ${cell.settings.base} · seed ${cell.seed}`, base: (cell) => cell.settings.base! });
  await page.reload();
  // Every base's cells are shown: each matched to the sha-256 of its own base's weights as this build ships them.
  const reading = page.getByTestId('reading-ceiling');
  await expect(reading).toContainText('3 seeds (each its own entity split)');
  await expect(reading).toContainText('tiny-world-ctx256-840k (FACT 0.97) against tiny-world-ctx256-70k (FACT 0.50): higher by');
  await expect(page.getByRole('button', { name: 'All 12 runs stored — showing results' })).toBeVisible();
  await page.getByRole('button', { name: 'Presentation mode' }).click();
  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  const stageReading = stage.getByTestId('stage-reading');
  await expect(stageReading).toContainText('Paired by seed: the base with the most pretrained facts ends');
  await expect(async () => {
    const [chart] = await expectLegibleCharts(stage, 22, 'ceiling stage slide');
    expect(chart.height, 'chart height').toBeGreaterThanOrEqual(720 * 0.4);
  }).toPass({ timeout: 15_000 });
  expect(await stageReading.evaluate((el) => el.scrollHeight - el.clientHeight), 'reading overflow').toBeLessThanOrEqual(1);
  expect(await stage.evaluate((el) => el.scrollHeight - el.clientHeight), 'stage overflow').toBeLessThanOrEqual(1);
  await page.screenshot({ path: 'test-results/screenshots/stage-ceiling-1280x720.png' });
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();
});
