// A model loaded from the Hub (a local Hub-layout server) is a training base: LoRA runs on it with its own tokenizer.
import { expect, test } from './fixtures';
import { startHubServer, type HubServer } from './hub-server';
import { createExampleDataset, openPage, screenshot, startRun } from './helpers';

let server: HubServer;
test.beforeAll(async () => {
  server = await startHubServer();
});
test.afterAll(async () => {
  await server.close();
});

test('load tiny-gpt2 from the Hub → it is the base on the Train page → a short LoRA run completes and generates', async ({ page }) => {
  await page.goto(`${server.origin}/`);
  await openPage(page, 'Models');
  await page.getByLabel('Repository').fill('tunelab-test/tiny-gpt2');
  await page.getByText('Advanced').click();
  await page.getByLabel('Endpoint (a mirror)').fill(`${server.origin}/hub`);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('loaded-model')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('current-model')).toHaveText('tunelab-test/tiny-gpt2@main (loaded)');
  await expect(page.getByLabel(/tiny-gpt2@main \(loaded\)/)).toBeChecked();

  await createExampleDataset(page);
  await openPage(page, 'Train');
  await startRun(page, { steps: 3, batchSize: 2, warmupSteps: 0, checkpointEvery: 3 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 });
  await expect(page.getByTestId('loss-summary')).toContainText('3 measured points');
  await page.getByLabel('Prompt').fill('abc>');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('heading', { name: 'Fine-tuned (step 3)' })).toBeVisible({ timeout: 60_000 });
  await screenshot(page, 'hub-train');
});
