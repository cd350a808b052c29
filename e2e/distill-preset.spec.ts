// The "Distillation inherits errors" preset in real Chromium: explained with its source, its quick check (reduced: tiny untrained base, a gold and a half-wrong teacher, 6 steps) trains students for real, and the charts, tables, reading, presentation view and URL state show what was measured.
import { test, expect, type Page } from './fixtures';
import { expectLegibleCharts } from './chart-labels';
import { screenshot } from './helpers';

async function tableRows(page: Page, slide: string): Promise<string[][]> {
  const table = page.getByRole('table', { name: `Measured points (${slide})` });
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent!.trim())));
}

test('Distillation preset: explained, its quick check trains students on each teacher, charts and reading show student, teacher and repeats', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/#/experiments');
  await page.getByRole('button', { name: /^Distillation inherits errors/ }).click();
  await expect(page.getByRole('button', { name: /^Distillation inherits errors/ })).toHaveAttribute('aria-pressed', 'true');
  expect(new URL(page.url()).searchParams.get('preset')).toBe('distill');
  await expect(page.getByTestId('preset-explain').getByRole('link', { name: /Kim & Rush 2016/ })).toHaveAttribute('href', 'https://arxiv.org/abs/1606.07947');
  // The default: 3 teachers × 3 seeds on tiny-world-400k.
  await expect(page.getByRole('button', { name: 'Run all 9' })).toBeEnabled();
  await expect(page.getByText(/the label-noise rate is the teacher’s wrong share/)).toBeVisible();

  await page.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 200_000 });

  const accuracy = await tableRows(page, 'distill-accuracy');
  expect(accuracy.map((r) => [r[0], r[1]])).toEqual([['student', '0'], ['teacher', '0'], ['student', '0.5'], ['teacher', '0.5']]);
  // The gold teacher is right on every held-out item by construction.
  expect(accuracy[1][2]).toBe('1.00 [1.00, 1.00]');
  const repeats = await tableRows(page, 'distill-repeats');
  expect(repeats.map((r) => r[1])).toEqual(['0.5', '0.5']);
  const reading = (await page.getByTestId('reading-distill-accuracy').textContent())!;
  expect(reading).toContain('The student of the gold teacher scored');
  expect(reading).toContain('With the teacher 50% wrong');
  expect(reading).toContain('One seed: the intervals cover the held-out items, not the spread between seeds.');
  await expect(async () => void (await expectLegibleCharts(page.getByRole('main'), 11, 'distillation charts'))).toPass({ timeout: 15_000 });
  await screenshot(page, 'experiments-distill-quick');

  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  await expect(stage.getByTestId('stage-reading')).toHaveText(reading);
  await screenshot(page, 'experiments-distill-stage');
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();

  await page.reload();
  await expect(page.getByRole('button', { name: /^Distillation inherits errors/ })).toHaveAttribute('aria-pressed', 'true');
  expect(await tableRows(page, 'distill-accuracy')).toEqual(accuracy);
});
