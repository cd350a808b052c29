// A Qwen3 checkpoint from the Hub (tiny-qwen3: q/k norms, BF16, Qwen3's tokenizer and chat template) trains with LoRA and generates.
import { expect, test } from './fixtures';
import { loadHubModel, useHubServer } from './hub-fixture';
import { createExampleDataset, openPage, screenshot, startRun } from './helpers';

const hubServer = useHubServer();

test('load tiny-qwen3 from the Hub → the LoRA targets are its projections → a short run completes and generates', async ({ page }) => {
  await loadHubModel(page, hubServer.current.origin, 'tunelab-test/tiny-qwen3');
  await expect(page.getByTestId('loaded-model')).toContainText('tunelab-test/tiny-qwen3@main · qwen3', { timeout: 60_000 });
  await expect(page.getByTestId('loaded-model')).toContainText('BF16');
  await screenshot(page, 'hub-qwen3-loaded');

  await createExampleDataset(page);
  await openPage(page, 'Train');
  for (const name of ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']) await expect(page.getByRole('checkbox', { name, exact: true })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'q_proj', exact: true })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'c_attn', exact: true })).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'k_proj', exact: true }).check();
  await startRun(page, { steps: 2, batchSize: 2, warmupSteps: 0, checkpointEvery: 2 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 });
  await page.getByLabel('Prompt').fill('the a');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('heading', { name: 'Fine-tuned (step 2)' })).toBeVisible({ timeout: 60_000 });
  // As a chat turn: the prompt goes through Qwen3's own Jinja chat template (tokenizer_config.json).
  await page.getByRole('checkbox', { name: /Chat \(as a user message/ }).check();
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.getByText("Prompt as rendered by the model's chat template").click({ timeout: 60_000 });
  await expect(page.getByTestId('rendered-prompt')).toHaveText('<|im_start|>user\nthe a<|im_end|>\n<|im_start|>assistant\n');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await screenshot(page, 'hub-qwen3-train');
});
