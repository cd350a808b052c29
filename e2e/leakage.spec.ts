// The Leakage preset in real Chromium: it appears with its explanation and source, its quick check (reduced: tiny
// untrained base, canaries with 2-digit secrets, 4 steps) trains and measures for real, and the charts, tables,
// readings, presentation view and URL state show what was measured.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from './fixtures';
import { expectLegibleCharts } from './chart-labels';
import { screenshot } from './helpers';

/** Table rows of one chart: [series, x, score]. */
async function tableRows(page: Page, slide: string): Promise<string[][]> {
  const table = page.getByRole('table', { name: `Measured points (${slide})` });
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent!.trim())));
}

test('Leakage preset: explained, its quick check runs for real, charts and readings show the measured exposure and AUC', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/#/experiments');
  await page.getByRole('button', { name: /^Leakage/ }).click();
  await expect(page.getByRole('button', { name: /^Leakage/ })).toHaveAttribute('aria-pressed', 'true');
  expect(new URL(page.url()).searchParams.get('preset')).toBe('leakage');
  const explain = page.getByTestId('preset-explain');
  await expect(explain).toContainText('Exposure counts how far up the ranking the true secret climbed');
  await expect(explain.getByRole('link', { name: 'Carlini et al. 2019, “The Secret Sharer”' })).toHaveAttribute('href', 'https://arxiv.org/abs/1802.08232');
  // The default: LoRA r8 and full fine-tuning, 3 seeds, on tiny-world-400k.
  await expect(page.getByRole('button', { name: 'Run all 6' })).toBeEnabled();
  await expect(page.getByText("canaries {who}'s account pin is {dddd} (a different name each)")).toBeVisible();

  await page.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('region', { name: 'Quick check' })).toContainText('reduced copy of your Leakage setup');
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 200_000 });

  // Exposure against repetitions: both methods at 1× and 4×, and their never-inserted controls (x = 0).
  const reps = await tableRows(page, 'leakage-repetitions');
  expect(reps.map((r) => [r[0], r[1]])).toEqual([
    ['LoRA r4 · never inserted', '0'], ['LoRA r4', '1'], ['LoRA r4', '4'], ['full FT · never inserted', '0'], ['full FT', '1'], ['full FT', '4'],
  ]);
  const chart = page.getByRole('figure', { name: /canary exposure against how often it was seen/ });
  const titles = await chart.locator('svg circle title').allTextContents();
  for (const [series, x, score] of reps.filter((r) => r[1] !== '0')) expect(titles).toContain(`${series}, repetitions ${x}: ${score} (1 run)`);
  const reading = (await page.getByTestId('reading-leakage-repetitions').textContent())!;
  const lora1 = reps.find((r) => r[0] === 'LoRA r4' && r[1] === '1')![2];
  expect(reading).toContain(`LoRA r4, after 4 steps (1.23 epochs): canaries seen 1× have exposure ${lora1} bits`);
  expect(reading).toContain('at most 6.64 bits = log2 of 100 secrets');
  expect(reading).toMatch(/exposure per doubling of repetitions: (rises|falls), slope|exposure per doubling of repetitions: not resolved \(the slope/);
  expect(reading).toContain('Full fine-tuning, after 4 steps');
  expect(reading).toContain('One seed: the intervals cover the canaries, not the spread between seeds.');

  // Exposure over steps, one chart per method; membership inference over epochs for both methods and attacks.
  expect(new Set((await tableRows(page, 'leakage-steps-4')).map((r) => r[0]))).toEqual(new Set(['×1', '×4', 'never inserted']));
  await expect(page.getByTestId('reading-leakage-steps-0')).toContainText('Full fine-tuning, from step 2');
  const mia = await tableRows(page, 'leakage-mia');
  expect(mia).toHaveLength(2 * 2 * 3);
  expect(mia.filter((r) => r[0] === 'LoRA r4 · calibrated attack')[0].slice(1)).toEqual(['0', '0.50 [0.50, 0.50]']);
  await expect(page.getByTestId('reading-leakage-mia')).toContainText('8 training lines against 8 held-out lines of the same pool per seed');
  // Every chart legible (no clipped or overlapping label), and no axe violation with the charts and the paper's link on the page.
  await expect(async () => void (await expectLegibleCharts(page.getByRole('main'), 11, 'leakage charts'))).toPass({ timeout: 15_000 });
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
  await screenshot(page, 'experiments-leakage-quick');
  await chart.scrollIntoViewIfNeeded();
  await screenshot(page, 'experiments-leakage-chart');

  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  await expect(stage.getByTestId('stage-reading')).toContainText(/^LoRA r4, [\d.]+ epochs?: secrets extracted \d\/1 seen 1×, \d\/1 4×\. Full fine-tuning, /);
  await page.keyboard.press('End');
  // The slide's MIA reading is the short one (the page's runs to eight lines) and fits its box without scrolling.
  await expect(stage.getByTestId('stage-reading')).toContainText(/^LoRA r4 after [\d.]+ epochs?: calibrated attack AUC /);
  await expect(stage.getByTestId('stage-reading')).toContainText('Changes over epochs and TPR at 1% FPR: on the page.');
  expect(await stage.getByTestId('stage-reading').evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
  await screenshot(page, 'experiments-leakage-stage-mia');
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();

  // Reload: the quick check's runs are stored and reused, the preset comes back from the URL.
  await page.reload();
  await expect(page.getByRole('button', { name: /^Leakage/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'All 2 runs stored — showing results' })).toBeDisabled();
  expect(await tableRows(page, 'leakage-repetitions')).toEqual(reps);
});
