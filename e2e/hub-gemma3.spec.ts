// Gemma 3 text end to end in the app: tiny-gemma3 from a Hub-layout server (the real 262,144-token tokenizer), a short
// LoRA run on the default q_proj/v_proj targets, and generation from the fine-tuned adapter.
import { expect, test } from './fixtures';
import { loadHubModel, useHubServer } from './hub-fixture';
import { createExampleDataset, openPage, screenshot, startRun } from './helpers';

const hubServer = useHubServer();

test('load tiny-gemma3 on the Models page → a 2-step LoRA run completes → the fine-tuned model generates', async ({ page }) => {
  test.setTimeout(240_000);
  await loadHubModel(page, hubServer.current.origin, 'tunelab-test/tiny-gemma3');
  await expect(page.getByTestId('loaded-model')).toContainText('tunelab-test/tiny-gemma3@main · gemma3_text', { timeout: 120_000 });
  await expect(page.getByTestId('loaded-model')).toContainText('BF16');
  await expect(page.getByText(/Gemma 3 text \(e\.g\. google\/gemma-3-270m\)/)).toBeVisible();
  await screenshot(page, 'hub-gemma3-models');

  await createExampleDataset(page);
  await openPage(page, 'Train');
  await expect(page.getByLabel('q_proj')).toBeChecked();
  await expect(page.getByLabel('v_proj')).toBeChecked();
  await expect(page.getByLabel('gate_proj')).not.toBeChecked();
  await startRun(page, { steps: 2, batchSize: 2, warmupSteps: 0, checkpointEvery: 2 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  await expect(page.getByTestId('loss-summary')).toContainText('2 measured points');
  // A random model over 262,144 tokens starts near 17 nats (Node: 17.5 on these rows); a fused loss kernel that read 0 must fail here.
  const first = Number(/first ([\d.]+)/.exec((await page.getByTestId('loss-summary').textContent()) ?? '')?.[1]);
  expect(first).toBeGreaterThan(5);
  await page.getByLabel('Prompt').fill('Hello');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('heading', { name: 'Fine-tuned (step 2)' })).toBeVisible({ timeout: 120_000 });
  await screenshot(page, 'hub-gemma3-train');
});
