// The judge on the Evaluate page: a short Tiny World fine-tune, its answers and the base's graded by the engine's likelihood
// judge (win rate, agreement with exact match, swap agreement), then the graded pairs saved as a preference dataset.
import { test, expect } from './fixtures';
import { generateWorldDataset, openPage, screenshot, startRun, useBackendFromEnv } from './helpers';

useBackendFromEnv();

test('judge base vs a short fine-tune on Evaluate → win rate and agreement with exact match → save preference pairs', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Models');
  await page.getByLabel(/Tiny World 400k \(pretrained/).check();
  await generateWorldDataset(page, 'ROUTE', 100);
  await openPage(page, 'Train');
  // A few steps at a high rate: enough for the fine-tuned answers to differ from the base's (what the judge grades).
  await startRun(page, { steps: 6, batchSize: 8, learningRate: '0.01', warmupSteps: 0, checkpointEvery: 6, validateEvery: 1000, probeItems: 0 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 150_000 });

  await openPage(page, 'Evaluate');
  const card = page.getByRole('region', { name: 'Judge: base vs fine-tuned' });
  await expect(card).toContainText('A judge is a measured instrument, not an oracle.');
  await card.getByLabel('Skill items to judge').fill('3');
  await card.getByRole('button', { name: 'Judge answers' }).click();
  const grades = card.getByTestId('judge-grades');
  await expect(grades).toBeVisible({ timeout: 120_000 });
  const row = (name: string) => grades.locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) });
  await expect(row('Fine-tuned win rate, by the judge')).toContainText(/\d+% \[\d+%, \d+%\]/);
  await expect(row('Fine-tuned win rate, by the judge')).toContainText('27 pairs');
  await expect(row('Fine-tuned win rate, by exact match')).toContainText(/\d+% \[\d+%, \d+%\]/);
  await expect(row('Agreement with exact match')).toContainText(/\d+% \[\d+%, \d+%\]|no pair with exactly one right answer/);
  // A likelihood judge's two orders agree by construction, and the page says so.
  await expect(row('Position-swap agreement')).toContainText('100%');
  await expect(row('Position-swap agreement')).toContainText('agree by construction');
  await expect(card.getByRole('table', { name: 'Judge grades per skill' }).locator('tbody tr')).toHaveCount(9);
  await screenshot(page, 'judge-evaluate');

  // Gold pairs from the exact metric: the reference over each wrong answer (the base is wrong on ROUTE, so there are some).
  const saveExact = card.getByRole('button', { name: /^Save exact-match pairs/ });
  await expect(saveExact).toBeEnabled();
  const count = Number((await saveExact.textContent())?.match(/\((\d+)\)/)?.[1]);
  expect(count).toBeGreaterThanOrEqual(3);
  await saveExact.click();
  await expect(card.getByRole('status')).toContainText(`Saved “Preference pairs by exact match, run step 6 (${count} pairs)”`);
  await expect(card.getByRole('status')).toContainText(`(${count} rows`);
  await card.getByText(/^The judged pairs/).click();
  await screenshot(page, 'judge-saved');

  // The saved dataset is a preference dataset, and the DPO trainer trains on it.
  await openPage(page, 'Data');
  const picker = page.getByLabel('Current dataset');
  const option = picker.locator('option', { hasText: `Preference pairs by exact match, run step 6 (${count} pairs)` });
  await picker.selectOption(await option.getAttribute('value'));
  await expect(page.getByText(`${count} preference pairs`)).toBeVisible();
  await openPage(page, 'Train');
  await page.getByLabel('DPO on the preference pairs').check();
  await startRun(page, { steps: 2, batchSize: 4, learningRate: '0.001', warmupSteps: 0, checkpointEvery: 2, validateEvery: 1000, probeItems: 0 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 150_000 });
  await expect(page.getByTestId('reward-accuracy-summary')).toContainText('measured');
  await screenshot(page, 'judge-pairs-dpo');
});
