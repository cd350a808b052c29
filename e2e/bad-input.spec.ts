// Inputs that used to pass silently: a 5 MB single-line row (flagged, previewed cut, a choice before training) and a
// CSV with only a prompt column (the import waits for a real completion column).
import { test, expect } from './fixtures';
import { openPage, screenshot, startTinyRun } from './helpers';

const LONG = 5_000_000;

/** The stored settings of the newest run (the Train page does not list every hyperparameter). */
async function newestRunLongRows(page: import('./fixtures').Page): Promise<string | undefined> {
  return page.evaluate(
    () =>
      new Promise<string | undefined>((resolve, reject) => {
        const open = indexedDB.open('tunelab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('runs').objectStore('runs').getAll();
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const runs = (request.result as { createdAt: number; hyper: { longRows?: string } }[]).sort((a, b) => b.createdAt - a.createdAt);
            open.result.close();
            resolve(runs[0]?.hyper.longRows);
          };
        };
      }),
  );
}

test('a 5 MB single-line row is counted against the context, previewed cut, and training asks what to do with it', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Data');
  const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify({ prompt: `w${i}>`, completion: `${i}.` }));
  rows.splice(5, 0, JSON.stringify({ prompt: 'long>', completion: 'x'.repeat(LONG) }));
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'long.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(rows.join('\n')) });
  await expect(page.getByTestId('dataset-rows')).toHaveText('31');

  // At import: the count, the model and its context.
  const flag = page.getByTestId('long-rows');
  await expect(flag).toContainText(/1 row exceeds the context of .+ \(\d+ tokens\); the longest has 5,000,0\d\d tokens/);

  // The preview cuts the cell and says how long it is; the page stays a page tall, not a million pixels.
  const preview = page.getByRole('table', { name: 'Dataset preview' });
  await expect(preview).toContainText('xxx…');
  await expect(preview).toContainText('(5,000,000 characters in all)');
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height).toBeLessThan(6000);
  await screenshot(page, 'bad-input-long-row-data');

  // Before training: the warning with the count, and the user's choice (truncate is the default).
  await openPage(page, 'Train');
  const choice = page.getByRole('group', { name: 'Rows longer than the context' });
  await expect(choice).toContainText(/1 row exceeds the context of .+ \(\d+ tokens\)/);
  await expect(choice.getByRole('radio', { name: /^Truncate/ })).toBeChecked();
  await choice.getByRole('radio', { name: /^Drop/ }).check();
  await screenshot(page, 'bad-input-long-row-train');

  // The choice is stored with the run, and training runs with the long row left out.
  await startTinyRun(page, { steps: 2, checkpointEvery: 2 });
  await expect(page.getByTestId('run-status')).toHaveText('completed');
  expect(await newestRunLongRows(page)).toBe('drop');
});

test('a CSV with only a prompt column is not imported until a real completion column is chosen', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Data');
  const csv = 'prompt\n"what is 1+1?"\n"say hi"\n';
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'prompts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const form = page.getByRole('form', { name: 'CSV column mapping' });
  const importButton = form.getByRole('button', { name: 'Import CSV' });

  // No completion is assumed: the import is blocked with the reason.
  await expect(form.getByLabel('Prompt column')).toHaveValue('prompt');
  await expect(form.getByLabel('Completion column')).toHaveValue('');
  await expect(form.getByRole('alert')).toContainText('Choose the completion column');
  await expect(importButton).toBeDisabled();
  await screenshot(page, 'bad-input-csv-prompt-only');

  // The prompt column as its own completion is refused too.
  await form.getByLabel('Completion column').selectOption('prompt');
  await expect(form.getByRole('alert')).toContainText('same column');
  await expect(importButton).toBeDisabled();

  // One column as plain text is a real choice: it imports.
  await form.getByLabel('Prompt column').selectOption('');
  await expect(form.getByRole('alert')).toHaveCount(0);
  await importButton.click();
  await expect(page.getByTestId('dataset-rows')).toHaveText('2');
  await expect(page.getByRole('table', { name: 'Dataset preview' })).toContainText('text');
});
