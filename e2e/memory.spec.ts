// Gradient checkpointing is a Train setting whose effect the memory estimate shows; a run with it trains and shows its measured GPU peak beside the estimate.
import { test, expect } from './fixtures';
import { createExampleDataset, openPage, screenshot, startRun, useTinyModel } from './helpers';

test('gradient checkpointing: the estimate shows both figures, the run trains and reports its measured peak', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await createExampleDataset(page);
  await useTinyModel(page);
  await openPage(page, 'Train');
  const checkpointing = page.getByLabel('Gradient checkpointing');
  await expect(checkpointing).not.toBeChecked();
  const memory = page.getByLabel('Estimate before training').locator('div', { hasText: 'GPU memory (est.)' }).locator('dd');
  const plain = await memory.textContent();
  expect(plain).toContain('with gradient checkpointing:');
  await checkpointing.check();
  await expect(memory).toContainText('without gradient checkpointing:');
  const checked = await memory.textContent();
  // The two figures swap places: what "with" said before is now the estimate, and the other way round.
  const figures = (text: string | null) => [...(text ?? '').matchAll(/([\d.]+ [KMG]?B)/g)].map((m) => m[1]);
  expect(figures(checked)).toEqual([...figures(plain)].reverse());
  await screenshot(page, 'train-form-checkpointing');
  await startRun(page, { steps: 3, batchSize: 4, warmupSteps: 0, checkpointEvery: 3 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  if (process.env.TUNELAB_E2E_BACKEND !== 'wasm') {
    // Measured on WebGPU only (tfjs's buffer manager); the estimate for the run's own settings stands beside it.
    await expect(page.getByTestId('run-peak-memory')).toContainText(/[\d.]+ [KMG]?B \(estimate [\d.]+ [KMG]?B\)/);
  }
  await screenshot(page, 'train-run-peak-memory');
});
