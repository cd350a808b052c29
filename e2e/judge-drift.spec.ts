// The Judge drift preset in real Chromium: explained with its source, its quick check (tiny untrained base, one round,
// both arms) runs for real, the two slides show the measured rounds with a computed reading, the presentation view
// carries its short reading (and, with the 5 measured cells stored, fits 1280×720), and the preset comes back from the URL.
import { test, expect, type Page } from './fixtures';
import { expectLegibleCharts } from './chart-labels';
import { screenshot } from './helpers';
import { storeMeasuredCells } from './measured-cells';

async function tableRows(page: Page, slide: string): Promise<string[][]> {
  const table = page.getByRole('table', { name: `Measured points (${slide})` });
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent!.trim())));
}

test('Judge drift preset: explained, its quick check runs both arms for real, slides and reading show the rounds', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/#/experiments');
  await page.getByRole('button', { name: /^Judge drift/ }).click();
  await expect(page.getByRole('button', { name: /^Judge drift/ })).toHaveAttribute('aria-pressed', 'true');
  expect(new URL(page.url()).searchParams.get('preset')).toBe('judge-drift');
  await expect(page.getByTestId('preset-explain')).toContainText('A judge is a measured instrument, not an oracle');
  await expect(page.getByRole('button', { name: 'Run all 5' })).toBeEnabled();

  await page.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 280_000 });

  const rows = await tableRows(page, 'judge-drift-rounds');
  // Rounds 0 and 1, both arms, exact match and the judge's win rate.
  expect(rows).toHaveLength(8);
  // Round 0 is the SFT student in both arms: the judge ties its answers with themselves (0.50 exactly).
  expect(rows.filter((r) => r[1] === '0' && r[0].includes("judge's win rate")).map((r) => r[2])).toEqual(['0.50 [0.50, 0.50]', '0.50 [0.50, 0.50]']);
  const reading = page.getByTestId('reading-judge-drift-rounds');
  await expect(reading).toContainText('The judge (the base fine-tuned with every “billing” ticket labelled “refund”');
  await expect(reading).toContainText('The gold control');
  await expect(reading).toContainText('One seed, 3 eval items');
  await screenshot(page, 'experiments-judge-drift-quick');

  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  // The stage carries the short reading: the same changes, computed from the same rounds.
  await expect(stage.getByTestId('stage-reading')).toContainText(/^Round 0 → 1 on the judge's picks: the judge's win rate /);
  await expect(stage.getByTestId('stage-reading')).toContainText('1 seed × 3 items (item intervals only).');
  expect(await stage.getByTestId('stage-reading').evaluate((el) => el.scrollHeight - el.clientHeight), 'reading overflow').toBeLessThanOrEqual(1);
  await screenshot(page, 'experiments-judge-drift-stage');
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();

  await page.reload();
  await expect(page.getByRole('button', { name: /^Judge drift/ })).toHaveAttribute('aria-pressed', 'true');
  expect(await tableRows(page, 'judge-drift-rounds')).toEqual(rows);
});

/** The measured default-size cells (docs/results.md), stored as the Experiments page stores them: no training here. */
const MEASURED = 'scripts/experiments/results/judge-drift-4d6ef018.json';

test('Judge drift presentation view: the measured multi-seed reading fits the stage at 1280×720', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#/experiments');
  await page.getByRole('button', { name: /^Judge drift/ }).click();
  const cells = await storeMeasuredCells(page, MEASURED, { run: (cell) => `Judge drift · seed ${cell.seed}`, base: () => 'tiny-world-400k' });
  await page.reload();
  const reading = page.getByTestId('reading-judge-drift-rounds');
  await expect(reading).toContainText(`${cells.length} seeds × 60 held-out eval items`);
  await page.getByRole('button', { name: 'Presentation mode' }).click();
  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  for (const [i, name] of ['rounds', 'blind-spot'].entries()) {
    await expect(stage.getByText(`${i + 1} / 2`)).toBeVisible();
    const stageReading = stage.getByTestId('stage-reading');
    await expect(stageReading).toContainText(`${cells.length} seeds × 60 items.`);
    // Nothing clipped: the chart's labels are whole, large (stage-charts' 22 px) and apart, the chart keeps 40% of the
    // height, the reading fits its box and the stage fits the screen.
    await expect(async () => {
      const [chart] = await expectLegibleCharts(stage, 22, `judge drift stage slide ${i + 1}`);
      expect(chart.height, `slide ${i + 1}: chart height`).toBeGreaterThanOrEqual(720 * 0.4);
    }).toPass({ timeout: 15_000 });
    expect(await stageReading.evaluate((el) => el.scrollHeight - el.clientHeight), `slide ${i + 1}: reading overflow`).toBeLessThanOrEqual(1);
    expect(await stage.evaluate((el) => el.scrollHeight - el.clientHeight), `slide ${i + 1}: stage overflow`).toBeLessThanOrEqual(1);
    await page.screenshot({ path: `test-results/screenshots/stage-judge-drift-${name}-1280x720.png` });
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();
});
