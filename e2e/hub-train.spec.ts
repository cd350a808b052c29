// A model loaded from the Hub (a local Hub-layout server) is a training base: LoRA runs on it with its own tokenizer.
import { expect, test } from './fixtures';
import { loadHubModel, useHubServer } from './hub-fixture';
import { resolve } from 'node:path';
import { createExampleDataset, openPage, screenshot, startRun } from './helpers';

const hubServer = useHubServer();

test('load tiny-gpt2 from the Hub → a reload brings it back from the cache → a short LoRA run completes and generates; uncached, it waits to be loaded again', async ({ page }) => {
  await loadHubModel(page, hubServer.current.origin, 'tunelab-test/tiny-gpt2');
  await expect(page.getByTestId('loaded-model')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('current-model')).toHaveText('tunelab-test/tiny-gpt2@main (loaded)');
  await expect(page.getByLabel(/tiny-gpt2@main \(loaded\)/)).toBeChecked();

  // A reload: the choice comes back from the browser cache by itself, with no request to the Hub.
  const hubRequests = hubServer.current.requests.length;
  await page.reload();
  await expect(page.getByTestId('current-model')).toHaveText('tunelab-test/tiny-gpt2@main (loaded)', { timeout: 60_000 });
  await expect(page.getByTestId('loaded-model')).toContainText('tunelab-test/tiny-gpt2@main · gpt2');
  await expect(page.getByLabel(/tiny-gpt2@main \(loaded\)/)).toBeChecked();
  await expect(page.getByTestId('download-row').filter({ hasText: 'model.safetensors' })).toContainText('from cache');
  expect(hubServer.current.requests.slice(hubRequests)).toEqual([]);
  await screenshot(page, 'hub-train-reloaded');

  await createExampleDataset(page);
  await openPage(page, 'Train');
  await startRun(page, { steps: 3, batchSize: 2, warmupSteps: 0, checkpointEvery: 3 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 });
  await expect(page.getByTestId('loss-summary')).toContainText('3 measured points');
  await page.getByLabel('Prompt').fill('abc>');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('heading', { name: 'Fine-tuned (step 3)' })).toBeVisible({ timeout: 60_000 });
  await screenshot(page, 'hub-train');

  // Not in the cache any more: after a reload the choice stays, by name, and waits to be loaded again.
  await openPage(page, 'Models');
  await page.getByRole('button', { name: 'Delete tunelab-test/tiny-gpt2 from the cache' }).click();
  await expect(page.getByRole('button', { name: 'Delete tunelab-test/tiny-gpt2 from the cache' })).toHaveCount(0);
  await page.reload();
  const waiting = 'tunelab-test/tiny-gpt2@main (loaded) — chosen before the reload; load it again';
  await expect(page.getByTestId('current-model')).toHaveText(waiting);
  await expect(page.getByTestId('pending-model')).toContainText(waiting);
  await expect(page.locator('input[name="base-model"]:checked')).toHaveCount(0); // the fallback is not shown as the choice
  await screenshot(page, 'hub-train-waiting-models');
  // Its run is an orphan on the Storage page until the model is loaded again.
  await openPage(page, 'Storage');
  await expect(page.getByTestId('orphan')).toContainText('Its base model tunelab-test/tiny-gpt2@main is no longer in this browser’s model cache.');
  await openPage(page, 'Train');
  await expect(page.getByTestId('pending-model')).toContainText(waiting);
  await expect(page.getByRole('button', { name: 'Start new run' })).toBeDisabled();
  // The run's model is not loaded: Generate says which model to load.
  await page.getByLabel('Prompt').fill('abc>');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('alert')).toContainText('tunelab-test/tiny-gpt2@main, which is not the model loaded now');
  await expect(page.getByRole('alert')).toContainText('Load tunelab-test/tiny-gpt2@main again on the Models page');
  await screenshot(page, 'hub-train-waiting');
  await page.getByRole('alert').getByRole('button', { name: /dismiss/i }).click();

  const before = hubServer.current.requests.length;
  await page.getByRole('button', { name: 'Load again' }).first().click();
  await expect(page.getByTestId('current-model')).toHaveText('tunelab-test/tiny-gpt2@main (loaded)', { timeout: 60_000 });
  expect(hubServer.current.requests.length).toBeGreaterThan(before);
  await openPage(page, 'Storage');
  await expect(page.getByRole('table', { name: 'Stored items' })).toBeVisible();
  await expect(page.getByTestId('orphan')).toHaveCount(0);
  await openPage(page, 'Train');
  await expect(page.getByRole('button', { name: 'Start new run' })).toBeEnabled();
  await page.getByLabel('Prompt').fill('abc>');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('heading', { name: 'Fine-tuned (step 3)' })).toBeVisible({ timeout: 60_000 });
});

test('local files chosen as the base wait after a reload for the files to be dropped again (the browser cannot re-read them)', async ({ page }) => {
  const folder = resolve(import.meta.dirname, '../src/engine/hub/fixtures/tunelab-test/tiny-gpt2');
  const files = ['config.json', 'tokenizer.json', 'model.safetensors'].map((f) => resolve(folder, f));
  await page.goto(`${hubServer.current.origin}/`);
  await openPage(page, 'Models');
  await page.getByLabel(/^Name of these files/).fill('my-tiny-gpt2');
  await page.getByLabel('pick files').setInputFiles(files);
  await expect(page.getByTestId('current-model')).toHaveText('my-tiny-gpt2 (local files) (loaded)', { timeout: 60_000 });

  await page.reload();
  const waiting = 'my-tiny-gpt2 (local files) (loaded) — chosen before the reload; load it again';
  await expect(page.getByTestId('current-model')).toHaveText(waiting);
  await expect(page.getByTestId('pending-model')).toContainText('Drop its files (config.json, tokenizer.json, the .safetensors) in “Load a Hugging Face model” below again');
  await expect(page.getByRole('button', { name: 'Load again' })).toHaveCount(0);
  await createExampleDataset(page);
  await openPage(page, 'Train');
  await expect(page.getByTestId('pending-model')).toContainText(waiting);
  await expect(page.getByRole('button', { name: 'Start new run' })).toBeDisabled();
  await screenshot(page, 'local-files-waiting');
  await page.getByTestId('pending-model').getByRole('button', { name: 'Drop the files again on Models' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Models' })).toBeVisible();
  await page.getByLabel(/^Name of these files/).fill('my-tiny-gpt2');
  await page.getByLabel('pick files').setInputFiles(files);
  await expect(page.getByTestId('current-model')).toHaveText('my-tiny-gpt2 (local files) (loaded)', { timeout: 60_000 });
  await expect(page.getByTestId('pending-model')).toHaveCount(0);
});
