// The Embedding gap preset in real Chromium: explained with its source, its quick check (tiny untrained base, 1 seed,
// 6 steps per run) fine-tunes the base as an embedder for real in the worker, both charts show base against fine-tuned
// with a computed reading, the presentation view fits 1280×720, and after a reload the stored runs come back unrun.
import { test, expect, type Page } from './fixtures';
import { expectLegibleCharts } from './chart-labels';
import { screenshot } from './helpers';

async function tableRows(page: Page, slide: string): Promise<string[][]> {
  const table = page.getByRole('table', { name: `Measured points (${slide})` });
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent!.trim())));
}

test('Embedding gap preset: explained, its quick check trains for real, charts and reading show base vs fine-tuned, stored across a reload', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#/experiments');
  await page.getByRole('button', { name: /^Embedding gap/ }).click();
  await expect(page.getByRole('button', { name: /^Embedding gap/ })).toHaveAttribute('aria-pressed', 'true');
  expect(new URL(page.url()).searchParams.get('preset')).toBe('embedding-gap');
  const explain = page.getByTestId('preset-explain');
  await expect(explain).toContainText('in-batch negatives (MultipleNegativesRankingLoss)');
  await expect(explain.getByRole('link', { name: /Henderson et al\. 2017/ })).toHaveAttribute('href', 'https://arxiv.org/abs/1705.00652');
  await expect(page.getByRole('button', { name: 'Run all 9' })).toBeEnabled();

  await page.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('region', { name: 'Quick check' })).toContainText('reduced copy of your Embedding gap setup');
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 240_000 });

  // Per pair count (8, 32, 128): the base, the fine-tuned model and the paired gain, 1 seed each.
  const recall = await tableRows(page, 'embedding-gap-recall');
  expect(recall.map((r) => `${r[1]} | ${r[0]}`)).toEqual([8, 32, 128].flatMap((n) => [`${n} | base recall@1`, `${n} | fine-tuned recall@1`, `${n} | gain (paired)`]));
  // 3 test tickets: every score is a share of 3, inside [0, 1].
  for (const [series, , score] of recall) {
    const mean = Number(score.split(' ')[0]);
    if (series === 'gain (paired)') expect(Math.abs(mean)).toBeLessThanOrEqual(1);
    else expect([0, 0.33, 0.67, 1]).toContain(mean);
  }
  // The base never trains: its score is the same at every pair count.
  expect(new Set(recall.filter((r) => r[0] === 'base recall@1').map((r) => r[2])).size).toBe(1);
  expect(await tableRows(page, 'embedding-gap-ndcg')).toHaveLength(9);
  const reading = page.getByTestId('reading-embedding-gap-recall');
  await expect(reading).toContainText('The base as an embedder scores recall@1');
  await expect(reading).toContainText('(chance 0.25)');
  await expect(reading).toContainText('One seed, 3 test tickets');
  const chart = page.getByRole('figure', { name: /Embedding gap: recall@1/ });
  await chart.scrollIntoViewIfNeeded();
  await screenshot(page, 'experiments-embedding-gap-chart');
  // One dot per pair count for the base and the fine-tuned model, its tooltip the table's score.
  const titles = await chart.locator('svg circle title').allTextContents();
  expect(titles).toHaveLength(6);
  for (const [series, x, score] of recall.filter((r) => r[0] !== 'gain (paired)')) expect(titles).toContain(`${series.replace(' recall@1', '')}, ${x} pairs: ${score} (1 seed)`);

  // The presentation view at 1280×720: legible, nothing to scroll, the short reading.
  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  await page.keyboard.press('Home');
  for (const slide of [1, 2]) {
    await expect(stage.getByText(`${slide} / 2`)).toBeVisible();
    await expect(async () => void (await expectLegibleCharts(stage, 22, `embedding gap stage slide ${slide}`))).toPass({ timeout: 15_000 });
    expect(await stage.evaluate((e) => e.scrollHeight - e.clientHeight)).toBeLessThanOrEqual(1);
    await page.screenshot({ path: `test-results/screenshots/stage-embedding-gap-${slide}-1280x720.png` });
    await page.keyboard.press('ArrowRight');
  }
  await expect(stage.getByTestId('stage-reading')).toContainText('The base as an embedder scores');
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();

  // A reload keeps the setup (URL) and shows the stored runs: nothing left to run.
  await page.reload();
  await expect(page.getByRole('button', { name: /^Embedding gap/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('region', { name: 'Quick check' })).toBeVisible();
  expect(await tableRows(page, 'embedding-gap-recall')).toEqual(recall);
  await expect(page.getByRole('button', { name: 'All 3 runs stored — showing results' })).toBeDisabled();
});
