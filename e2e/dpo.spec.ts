// Preference tuning: a {"prompt","chosen","rejected"} JSONL is imported (a bad row named by its line), the Train page
// offers DPO for it, and a DPO run's reward curves (accuracy, chosen/rejected/margin) appear live; the long run is cancelled.
import { test, expect } from './fixtures';
import { cancelRun, openPage, screenshot, startRun, UNFINISHABLE_STEPS, useBackendFromEnv, useTinyModel } from './helpers';

useBackendFromEnv();

const pairs = Array.from({ length: 24 }, (_, i) => {
  const a = i % 5;
  const b = (i * 3) % 7;
  return JSON.stringify({ prompt: `${a}+${b}=`, chosen: `${a + b}`, rejected: `${a + b + 1}` });
});
const jsonl = [...pairs, JSON.stringify({ prompt: '1+1=', chosen: '2' }), JSON.stringify({ prompt: '2+2=', chosen: '4', rejected: '4' })].join('\n');

test('preference JSONL → DPO run → reward curves live, then cancel', async ({ page }) => {
  await page.goto('/');
  await useTinyModel(page);
  await openPage(page, 'Data');
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'prefs.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(jsonl) });
  await expect(page.getByTestId('dataset-rows')).toHaveText('24');
  await expect(page.getByText('line 25: has "chosen" but no "rejected"; a preference row needs both answers')).toBeVisible();
  await expect(page.getByText('line 26: "chosen" and "rejected" are identical, so there is no preference to learn')).toBeVisible();
  await expect(page.getByText('24 preference pairs')).toBeVisible();
  await screenshot(page, 'dpo-data');

  await openPage(page, 'Train');
  await page.getByLabel('DPO on the preference pairs').check();
  await expect(page.getByLabel('Full fine-tuning')).toBeDisabled();
  await expect(page.getByRole('spinbutton', { name: 'DPO β' })).toHaveValue('0.1');
  await startRun(page, { steps: UNFINISHABLE_STEPS, batchSize: 4, learningRate: '0.01', warmupSteps: 0, checkpointEvery: 1000, validateEvery: 1000 });
  await expect(page.getByTestId('run-status')).toHaveText('running');
  // Waits on the event (two measured reward points), whatever the machine's speed.
  const points = async () => Number((await page.getByTestId('reward-accuracy-summary').textContent())?.match(/(\d+) measured/)?.[1] ?? 0);
  await expect.poll(points, { timeout: 180_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole('figure', { name: 'Rewards (chosen, rejected, margin)' })).toBeVisible();
  await screenshot(page, 'dpo-train');
  await cancelRun(page);
});
