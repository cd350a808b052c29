// Small things a newcomer meets first (#14 item 8): the split counts are explained, the run list shows the live step,
// the example prompt is one the model can read and it generates, Storage names checkpoints by run and deletes in bulk.
import { test, expect } from './fixtures';
import { cancelRun, createExampleDataset, currentStep, openPage, screenshot, startRun, UNFINISHABLE_STEPS, useBackendFromEnv } from './helpers';

useBackendFromEnv();

test('Tiny World 400k: split note, live step in the run list, in-vocabulary example prompt, Storage by run name with bulk delete', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await openPage(page, 'Models');
  await page.getByLabel(/Tiny World 400k \(pretrained/).check();

  // The example dataset has many repeated rows: the counts beside the 80/10/10 shares say why they differ from them.
  await createExampleDataset(page);
  const duplicates = (await page.getByTestId('dataset-duplicates').textContent()) ?? '';
  expect(Number(duplicates)).toBeGreaterThan(0);
  const note = page.getByTestId('dataset-split-note');
  await expect(note).toContainText(`${duplicates} of the 400 rows repeat others (${400 - Number(duplicates)} distinct)`);
  await expect(note).toContainText('every exact copy stays in its original’s split, so no test or validation row was also trained on');
  await expect(note).toContainText('320/40/40');
  await screenshot(page, 'data-split-note');

  // A run that cannot finish while the test looks: the picker follows the live step, not the stored "queued, step 0".
  await openPage(page, 'Train');
  await expect(page.getByLabel('LoRA (adapter only)')).toBeChecked();
  await startRun(page, { steps: UNFINISHABLE_STEPS, batchSize: 4, warmupSteps: 0, checkpointEvery: 2, validateEvery: 1000, probeItems: 0 });
  await expect(page.getByTestId('run-status')).toHaveText('running');
  const option = page.getByLabel('Current run').locator('option:checked');
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  await expect(option).toContainText(/— running, step [1-9]\d*\/100000$/);
  const listed = Number(/step (\d+)\//.exec((await option.textContent()) ?? '')?.[1]);
  expect(listed).toBeGreaterThanOrEqual(2);
  await screenshot(page, 'train-run-list-live');
  await cancelRun(page);
  const stopped = await currentStep(page);
  await expect(option).toContainText(`— cancelled, step ${stopped}/100000`);

  // Generate: the example is a Tiny World prompt (the example dataset's "abc>" has a character the model lacks).
  const panel = page.getByRole('region', { name: 'Generate: base vs fine-tuned' });
  const prompt = panel.getByLabel('Prompt');
  await expect(prompt).toHaveAttribute('placeholder', 'e.g. REV abcd=');
  await panel.getByRole('button', { name: 'Use “REV abcd=”' }).click();
  await expect(prompt).toHaveValue('REV abcd=');
  await panel.getByLabel('Max tokens').fill('8');
  await panel.getByRole('button', { name: 'Generate' }).click();
  // The base reverses every REV word (its card: 100%); nothing of the prompt was left out.
  await expect(page.getByTestId('generate-base')).toHaveText('dcba', { timeout: 60_000 });
  await expect(panel.getByRole('button', { name: 'Generate' })).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByText('Left out characters')).toHaveCount(0);
  await screenshot(page, 'generate-example-prompt');

  // Storage: checkpoints under their run's name; select all with the keyboard, cancel once, then delete everything.
  await openPage(page, 'Storage');
  const table = page.getByRole('table', { name: 'Stored items' });
  await expect(table).toContainText(/checkpoint step \d+ of “Tiny World 400k · LoRA r\d+ · Example: reverse a word \(400 rows, seed \d+\)”/);
  await expect(table).not.toContainText(/checkpoint step \d+ of [0-9a-f]{8}-/);
  const rows = await table.locator('tbody tr').count();
  expect(rows).toBeGreaterThanOrEqual(3); // dataset, run, checkpoint(s)
  await page.getByLabel('Select all stored items').focus();
  await page.keyboard.press('Space');
  const bulk = page.getByRole('button', { name: `Delete selected (${rows})` });
  await bulk.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Delete ${rows} items?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('This cannot be undone');
  await screenshot(page, 'storage-bulk-delete');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(table.locator('tbody tr')).toHaveCount(rows);
  await bulk.click();
  await dialog.getByRole('button', { name: `Delete ${rows} items` }).click();
  await expect(page.getByRole('heading', { name: 'Nothing stored yet' })).toBeVisible();
  await openPage(page, 'Train');
  await expect(page.getByLabel('Current run')).toHaveCount(0);
});
