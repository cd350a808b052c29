// The Prompting vs fine-tuning preset in real Chromium: explained with its sources, a k that does not fit the base's
// context refused on its field (naming the largest k that fits), and its quick check (untrained seed base, 1 seed: 0 and 1
// shots, one 4-step LoRA run on 8 examples) runs for real to the chart and the cost side; the measured default-size
// cells, stored as the page stores them, fill the stage view at 1280×720.
import { test, expect } from './fixtures';
import { expectLegibleCharts } from './chart-labels';
import { screenshot } from './helpers';
import { storeMeasuredCells } from './measured-cells';

test('Prompting preset: explained, too many shots refused, its quick check charts both arms and the cost side', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/#/experiments');
  const preset = page.getByRole('button', { name: /^Prompting vs fine-tuning/ });
  await preset.click();
  await expect(preset).toHaveAttribute('aria-pressed', 'true');
  expect(new URL(page.url()).searchParams.get('preset')).toBe('prompting');
  const explain = page.getByTestId('preset-explain');
  await expect(explain).toContainText('Before fine-tuning anything, ask whether prompting is enough');
  await expect(explain.getByRole('link', { name: /Brown et al\. 2020/ })).toHaveAttribute('href', 'https://arxiv.org/abs/2305.16938');
  await expect(page.getByRole('button', { name: 'Run all 27' })).toBeEnabled();

  // 40 shots do not fit the 256-character context before every item: the field names the largest k that fits, Run is blocked, the link keeps it.
  const shots = page.getByLabel('Axis 1 values (comma-separated)');
  await expect(shots).toHaveValue('0, 1, 2, 4, 8');
  await shots.fill('0, 1, 2, 4, 8, 40');
  await expect(page.getByText(/k = 40 does not fit: tiny-world-ctx256-440k reads 256 characters.*The largest k that fits is \d+\./)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run — fix the marked fields first' })).toBeDisabled();
  await screenshot(page, 'experiments-prompting-bad-k');
  // The link keeps the 40 (as typed, or as the parsed list written before the worker's check answered).
  expect(new URL(page.url()).searchParams.get('axis1')).toMatch(/^shots:0, ?1, ?2, ?4, ?8, ?40$/);
  await shots.fill('0, 1, 2, 4, 8');
  await expect(page.getByRole('button', { name: 'Run all 27' })).toBeEnabled();
  await screenshot(page, 'experiments-prompting-setup');

  await page.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('region', { name: 'Quick check' })).toContainText('reduced copy of your Prompting vs fine-tuning setup');
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 100_000 });
  const table = page.getByRole('table', { name: 'Measured points (prompting-curves)' });
  // k = 0, k = 1, N = 8, and N = 8 against the best prompting point.
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expect(table).toContainText('prompting the base (k shots)');
  await expect(table).toContainText('LoRA fine-tuned (N examples), zero-shot');
  const reading = page.getByTestId('reading-prompting-curves');
  await expect(reading).toContainText('Prompting the untouched base on');
  await expect(reading).toContainText('One seed: the intervals cover the eval items');
  await expect(page.getByTestId('reading-prompting-cost')).toContainText('Prompt tokens per query (measured with the base\'s tokenizer): k = 0:');
  await screenshot(page, 'experiments-prompting-quick');
});

/** The measured default-size cells (docs/results.md), stored as the Experiments page stores them: no training here. */
const MEASURED = 'scripts/experiments/results/prompting-7eba081f.json';

test('Prompting presentation view: the measured 3-seed curves, crossover and cost side fit the stage at 1280×720', async ({ page }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#/experiments');
  await page.getByRole('button', { name: /^Prompting vs fine-tuning/ }).click();
  await storeMeasuredCells(page, MEASURED, { run: (cell) => `Prompting · seed ${cell.seed}`, base: () => 'tiny-world-ctx256-440k' });
  await page.reload();
  await expect(page.getByTestId('reading-prompting-curves')).toContainText('Crossover: N = 32 is the smallest fine-tuning size');
  await page.getByRole('button', { name: 'Presentation mode' }).click();
  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  for (const [i, name] of ['curves', 'cost'].entries()) {
    await expect(stage.getByText(`${i + 1} / 2`)).toBeVisible();
    const stageReading = stage.getByTestId('stage-reading');
    await expect(async () => {
      const [chart] = await expectLegibleCharts(stage, 22, `prompting stage slide ${i + 1}`);
      expect(chart.height, `slide ${i + 1}: chart height`).toBeGreaterThanOrEqual(720 * 0.4);
    }).toPass({ timeout: 15_000 });
    expect(await stageReading.evaluate((el) => el.scrollHeight - el.clientHeight), `slide ${i + 1}: reading overflow`).toBeLessThanOrEqual(1);
    expect(await stage.evaluate((el) => el.scrollHeight - el.clientHeight), `slide ${i + 1}: stage overflow`).toBeLessThanOrEqual(1);
    await page.screenshot({ path: `test-results/screenshots/stage-prompting-${name}-1280x720.png` });
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();
});
