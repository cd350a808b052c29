// Orphans: a run whose dataset was deleted is marked on the Storage page with the reason, offers to retrain on the newer
// version made from that dataset (the Train page opens with its settings), and is deleted after a confirmation.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from './fixtures';
import { cancelRun, createExampleDataset, currentStep, openPage, screenshot, startTinyRun, UNFINISHABLE_STEPS, useBackendFromEnv } from './helpers';

useBackendFromEnv();

async function expectNoAxeViolations(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`), `axe on ${where}`).toEqual([]);
}

test('delete a run’s dataset → the Storage page marks the run as orphaned → retrain on the newer version, or delete it', async ({ page }) => {
  await page.goto('/');
  await createExampleDataset(page);
  await startTinyRun(page, { steps: UNFINISHABLE_STEPS, checkpointEvery: 1 });
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await cancelRun(page);

  // A healthy run is not an orphan.
  await openPage(page, 'Storage');
  await expect(page.getByRole('table', { name: 'Stored items' })).toContainText('cancelled');
  await expect(page.getByRole('heading', { name: /^Orphans/ })).toHaveCount(0);

  // A newer version made from the dataset (canaries inserted), then the original deleted.
  await openPage(page, 'Data');
  await page.getByLabel('Template').fill('my pin is {ddd}');
  await page.getByLabel('Repetitions (one canary each)').fill('1');
  await page.getByRole('button', { name: 'Insert canaries' }).click();
  await expect(page.getByTestId('dataset-rows')).toHaveText('401');
  await openPage(page, 'Storage');
  await page.getByRole('button', { name: /^Delete datasets .*\(400 rows in 1 chunk\)$/ }).click();

  const orphans = page.getByRole('list', { name: 'Orphaned runs and adapters' });
  await expect(page.getByRole('heading', { name: 'Orphans (1)' })).toBeVisible();
  const orphan = orphans.getByTestId('orphan');
  await expect(orphan).toHaveCount(1);
  await expect(orphan).toContainText('Orphaned run: dataset missing');
  await expect(orphan).toContainText(/Its dataset “.+” no longer exists \(deleted, or erased by Forget\)\./);
  await expect(orphan).toContainText('Retraining needs the data. A newer version made from it is here');
  // The table marks the run and each of its checkpoints; the new dataset version is not marked.
  const rows = page.getByRole('table', { name: 'Stored items' }).locator('tbody tr');
  await expect(rows.filter({ hasText: 'cancelled' })).toContainText('orphan: dataset missing');
  for (const row of await rows.filter({ hasText: 'checkpoint step' }).all()) await expect(row).toContainText('orphan: dataset missing');
  await expect(rows.filter({ hasText: '+ canaries (401 rows' })).not.toContainText('orphan');
  const runName = (await orphan.getByRole('heading', { level: 4 }).textContent())?.trim() ?? '';
  expect(runName).toMatch(/^Nano GPT-2 · full · /);
  await screenshot(page, 'storage-orphans');
  await expectNoAxeViolations(page, 'the Storage page with an orphan');

  // Retrain: the Train page opens on the newer version with the run's settings.
  await orphan.getByRole('button', { name: /^Retrain on “.+ \+ canaries”$/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Train' })).toBeVisible();
  await expect(page.locator('.lead').filter({ hasText: 'Fine-tune' })).toContainText(/Nano GPT-2.*on .+ \+ canaries/);
  await expect(page.getByRole('spinbutton', { name: 'Steps', exact: true })).toHaveValue(String(UNFINISHABLE_STEPS));
  await expect(page.getByLabel('Full fine-tuning')).toBeChecked();
  await screenshot(page, 'storage-orphan-retrain');

  // Delete, after a confirmation, with the keyboard: the run and its checkpoints are gone.
  await openPage(page, 'Storage');
  const del = orphan.getByRole('button', { name: 'Delete…' });
  await expect(del).toHaveAccessibleDescription(runName);
  await del.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Delete the run “${runName}”?` });
  await expect(dialog).toContainText('It is removed with its checkpoints. This cannot be undone.');
  await screenshot(page, 'storage-orphan-delete');
  await expectNoAxeViolations(page, 'the orphan delete dialog');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('heading', { name: /^Orphans/ })).toHaveCount(0);
  const table = page.getByRole('table', { name: 'Stored items' });
  await expect(table).not.toContainText(runName);
  await expect(table).not.toContainText('checkpoint step');
});
