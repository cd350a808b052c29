// The Judge drift preset in real Chromium: explained with its source, its quick check (tiny untrained base, one round,
// both arms) runs for real, the two slides show the measured rounds with a computed reading, the presentation view
// carries the reading, and the preset comes back from the URL.
import { test, expect, type Page } from './fixtures';
import { screenshot } from './helpers';

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
  await expect(page.getByRole('button', { name: 'Run all 3' })).toBeEnabled();

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
  await expect(stage.getByTestId('stage-reading')).toHaveText((await reading.textContent())!);
  await screenshot(page, 'experiments-judge-drift-stage');
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();

  await page.reload();
  await expect(page.getByRole('button', { name: /^Judge drift/ })).toHaveAttribute('aria-pressed', 'true');
  expect(await tableRows(page, 'judge-drift-rounds')).toEqual(rows);
});
