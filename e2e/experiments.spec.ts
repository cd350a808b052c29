// Experiments in real Chromium: each preset at a reduced size (tiny untrained base, one seed, few steps) runs for real,
// its charts show the measured points, the reading quotes the table's numbers, and the state survives a reload.
import { test, expect, type Page } from './fixtures';
import { cliffPreset, reducedSpec, saturationPreset } from '../src/engine/experiments/presets';
import { specToQuery } from '../src/engine/experiments/url-state';
import { screenshot } from './helpers';

async function runAndWait(page: Page, cells: number) {
  await page.getByRole('button', { name: `Run all ${cells}` }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 90_000 });
}

/** Table rows of one chart: [series, x, score]. */
async function tableRows(page: Page, slide: string): Promise<string[][]> {
  const table = page.getByRole('table', { name: `Measured points (${slide})` });
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent!.trim())));
}

test('Saturation preset (reduced) trains, plots its measured points and reads them; reload keeps it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/?${specToQuery(reducedSpec(saturationPreset()))}#/experiments`);
  await expect(page.getByRole('tab', { name: /Experiments/ })).toHaveAttribute('aria-selected', 'true');
  await runAndWait(page, 3);
  const rows = await tableRows(page, 'saturation');
  expect(rows.map((r) => [r[0], r[1]])).toEqual([['added noisy', '16'], ['clean', '8'], ['clean', '16']]);
  const chart = page.getByRole('figure', { name: /Saturation/ });
  // One dot per plotted point, each titled with the table's number.
  const titles = await chart.locator('svg circle title, svg path title').allTextContents();
  for (const [series, x, score] of rows) expect(titles).toContain(`${series}, N ${x}: ${score} (1 run)`);
  const reading = await page.getByTestId('reading-saturation').textContent();
  const added = rows.find((r) => r[0] === 'added noisy')![2];
  const cleanAtStart = rows.find((r) => r[0] === 'clean' && r[1] === '8')![2];
  // The reading names the two measured points it compares (as the table writes them) and their paired difference,
  // stating a change only when its interval excludes zero.
  expect(reading).toContain(`Adding 8 noisier examples to 8 clean ones took held-out exact match on ROUTE from ${cleanAtStart} to ${added}: `);
  expect(reading).toMatch(/: (higher|lower), paired difference [-+]?\d\.\d\d \[|: not resolved: the paired difference .* includes zero/);
  expect(reading).toContain('One seed: the intervals cover the eval items, not the spread between seeds.');
  await screenshot(page, 'experiments-saturation-reading');
  // Every point links to its stored run, whose eval shows the plotted number.
  await page.getByRole('table', { name: 'Measured points (saturation)' }).getByRole('button', { name: 'run 1' }).first().click();
  await expect(page.getByTestId('run-detail')).toContainText(Number(added.split(' ')[0]).toFixed(3));
  // Reload: same setup from the URL, the stored runs are reused.
  await page.reload();
  await expect(page.getByRole('button', { name: 'All 3 runs stored — showing results' })).toBeDisabled();
  expect(await tableRows(page, 'saturation')).toEqual(rows);
});

test('Generalization cliff preset (reduced): curves per probe, rank trade-off, presentation mode', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/?${specToQuery(reducedSpec(cliffPreset()))}#/experiments`);
  await runAndWait(page, 2);
  const curves = await tableRows(page, 'curves');
  expect(new Set(curves.map((r) => r[0]))).toEqual(new Set(['ROUTE', 'TICK']));
  expect(new Set(curves.map((r) => r[1]))).toEqual(new Set(['0', '3', '6']));
  const route = curves.filter((r) => r[0] === 'ROUTE');
  await expect(page.getByTestId('reading-curves')).toContainText(`exact match on ROUTE`);
  const reading = (await page.getByTestId('reading-curves').textContent())!;
  // One sentence per rank, each naming its method; the chart's rank (r4) quotes the table's first and last ROUTE points.
  expect(reading).toContain(`LoRA r4, over 6 steps: exact match on ROUTE went from ${route[0][2]} to ${route.at(-1)![2]} (`);
  expect(reading).toContain('Full fine-tuning, over 6 steps: exact match on ROUTE went from ');
  expect(reading).not.toContain('run the experiment');
  const tradeoff = await tableRows(page, 'tradeoff');
  const tradeoffReading = (await page.getByTestId('reading-tradeoff').textContent())!;
  expect(tradeoffReading).toContain(`LoRA r4 gained ${tradeoff.find((r) => r[0] === 'gain on ROUTE' && r[1] === '4')![2]}`);
  expect(tradeoffReading).toContain(`full fine-tuning gained ${tradeoff.find((r) => r[0] === 'gain on ROUTE' && r[1] === '0')![2]}`);
  // LoRA against full fine-tuning at the same steps, paired by seed and item (Biderman et al.'s question).
  expect(tradeoffReading).toContain("LoRA r4 − full fine-tuning at the last eval, paired by seed (1) and item: the other skills' mean ");
  await expect(page.getByRole('figure', { name: /every probe over training steps/ }).locator('svg circle')).toHaveCount(curves.length);
  await screenshot(page, 'experiments-cliff-readings');

  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  // On stage the chart's method (r4) is read alone, in few words, quoting the table's first and last ROUTE points; it fits its box.
  const stageReading = stage.getByTestId('stage-reading');
  await expect(stageReading).toContainText(`LoRA r4, 6 steps: ROUTE ${route[0][2]} → ${route.at(-1)![2]}, `);
  await expect(stageReading).toContainText('Full fine-tuning: on the learns-vs-forgets slide. One seed.');
  await page.setViewportSize({ width: 1280, height: 720 });
  expect(await stageReading.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
  await page.keyboard.press('ArrowRight');
  // On stage the trade-off reads in few words: each method's gain / change, then LoRA against full FT; it fits its box.
  await expect(stage.getByTestId('stage-reading')).toHaveText(/^ROUTE gain \/ other skills' change: LoRA r4 [+-]?\d\.\d\d \/ [+-]?\d\.\d\d, full FT [+-]?\d\.\d\d \/ [+-]?\d\.\d\d\. LoRA r4 vs full FT: .+\. Paired by seed \(1\) and item\.$/);
  expect(await stage.getByTestId('stage-reading').evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
  expect(page.url()).toContain('present=1');
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();
});

test('A replay share the pool cannot fill without eval items is refused before anything trains, in words', async ({ page }) => {
  const spec = reducedSpec(saturationPreset());
  spec.axes = [{ knob: 'trainSize', values: [2000] }];
  spec.extraCells = [];
  spec.fixed = { ...spec.fixed, replay: 0.9 };
  await page.goto(`/?${specToQuery(spec)}#/experiments`);
  await page.getByRole('button', { name: 'Run all 1' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Replay share' });
  await expect(alert).toContainText('Replay share 0.9 of 2000 examples needs 18000 replay examples; the replay pool holds 2000 (its eval items left out).');
  await expect(alert).toContainText('Lower the replay share or the training size');
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Run all 1' })).toBeEnabled();
  await screenshot(page, 'experiments-replay-refused');
});
