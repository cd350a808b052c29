// The frozen-base precision is a visible LoRA setting (f16 by default), recorded with the run, and a LoRA run on the f16 base trains on WebGPU.
import { test, expect } from './fixtures';
import { createExampleDataset, openPage, screenshot, startRun, useTinyModel } from './helpers';

test('LoRA on the f16 base: the setting defaults to f16, is hidden for full fine-tuning, and the run records it', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await createExampleDataset(page);
  await useTinyModel(page);
  await openPage(page, 'Train');
  const base = page.getByLabel('Frozen base weights');
  await expect(base).toHaveValue('f16');
  await page.getByLabel('Full fine-tuning').check();
  await expect(base).toBeHidden();
  await page.getByLabel('LoRA (adapter only)').check();
  await expect(base).toHaveValue('f16');
  await screenshot(page, 'train-form-base-weights');
  await startRun(page, { steps: 3, batchSize: 4, warmupSteps: 0, checkpointEvery: 3 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  await expect(page.getByTestId('run-base-weights')).toHaveText('f16');
  await expect(page.getByTestId('loss-summary')).toContainText('3 measured points');
});
