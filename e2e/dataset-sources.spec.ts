// Datasets from where they live: a Parquet file (column mapping), a ShareGPT JSONL file (detected, previewed), a Hub dataset by
// repo id (listed, previewed, downloaded, imported) from a local server in the Hub's Parquet-conversion layout, and their errors.
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from './fixtures';
import { openPage, screenshot } from './helpers';
import { loadHubModel, useHubServer } from './hub-fixture';

const datasets = resolve(import.meta.dirname, '../src/engine/hub/fixtures/datasets/tunelab-test');
const parquet = (path: string) => readFileSync(resolve(datasets, path));

/** The new forms pass axe as the pages do (a11y.spec.ts audits the pages without them open). */
async function audit(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`), `axe on ${where}`).toEqual([]);
}

const hubServer = useHubServer();

test('a Parquet file is previewed, its columns mapped, and imported row group by row group; a ZSTD file is refused, by column, at preview', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Data');
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'qa.parquet', mimeType: 'application/vnd.apache.parquet', buffer: parquet('qa-mini/default/train/0000.parquet') });
  const form = page.getByRole('form', { name: 'Dataset preview before import' });
  await expect(form).toContainText('qa.parquet: 24 rows in 3 row groups');
  await expect(form.getByTestId('detected-format')).toHaveText('No known format detected: map the columns below.');
  await expect(form.getByRole('table', { name: 'First rows of the file' })).toContainText('what is 0+1?');
  await form.getByLabel('Prompt column').selectOption('question');
  await form.getByLabel('Completion column').selectOption('answer');
  await form.getByLabel('Cohort column').selectOption('tier');
  await screenshot(page, 'data-parquet-preview');
  await audit(page, 'the Parquet preview and column mapping');
  await form.getByRole('button', { name: 'Import 24 rows' }).click();
  await expect(page.getByTestId('dataset-rows')).toHaveText('23');
  await expect(page.getByRole('list', { name: 'Skipped lines' })).toHaveText('Row 4: the completion column "answer" is empty');
  await expect(page.getByRole('table', { name: 'Dataset preview' })).toContainText('what is 23+1?');
  await expect(page.getByTestId('current-dataset')).toContainText('qa.parquet · 23 rows');
  // Parquet rows go through the same length counts: row 24 is longer than the base's context.
  await expect(page.getByTestId('long-rows')).toContainText('1 row exceeds the context of Tiny World 800k (64 tokens)');
  await screenshot(page, 'data-parquet-imported');

  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'zstd.parquet', mimeType: 'application/vnd.apache.parquet', buffer: parquet('zstd-mini/default/train/0000.parquet') });
  // The preview reads the footer first: the codec is named before any row is read.
  await expect(page.getByRole('alert')).toContainText('Column "prompt" is compressed with ZSTD, which TuneLab\'s Parquet reader cannot decompress');
  await expect(page.getByRole('alert')).toContainText('compression="snappy"');
  await expect(page.getByTestId('current-dataset')).toContainText('qa.parquet · 23 rows');
  await screenshot(page, 'data-parquet-zstd');
});

test('a ShareGPT JSONL file and an Alpaca JSON array show their detected format and first rows as chat messages before import', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Data');
  const lines = [
    { conversations: [{ from: 'system', value: 'Reverse it.' }, { from: 'human', value: 'abc' }, { from: 'gpt', value: 'cba' }] },
    { conversations: [{ from: 'human', value: 'xyz' }, { from: 'bot', value: 'zyx' }] },
    { conversations: [{ from: 'human', value: 'pq' }, { from: 'gpt', value: 'qp' }] },
  ].map((l) => JSON.stringify(l));
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'chat.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(lines.join('\n')) });
  const form = page.getByRole('form', { name: 'Dataset preview before import' });
  await expect(form.getByTestId('detected-format')).toContainText('ShareGPT conversations');
  const shown = form.getByRole('list', { name: 'First rows as TuneLab reads them' });
  await expect(shown.getByRole('listitem')).toHaveCount(2);
  await expect(shown.getByRole('listitem').first()).toContainText('assistant cba');
  await expect(form.getByRole('list', { name: 'Bad rows in the preview' })).toHaveText('Line 2: turn 2 of "conversations" is from "bot"; ShareGPT turns are from human, gpt or system');
  await screenshot(page, 'data-sharegpt-preview');
  await form.getByRole('button', { name: 'Import dataset' }).click();
  await expect(page.getByTestId('dataset-rows')).toHaveText('2');
  await expect(page.getByRole('table', { name: 'Dataset preview' })).toContainText('messages (3 turns)');

  // Alpaca as its original alpaca_data.json ships: one JSON array; instruction + input become the user's message.
  const alpaca = [
    { instruction: 'Reverse the word.', input: 'stop', output: 'pots' },
    { instruction: 'Say hi.', input: '', output: 'hi' },
  ];
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'alpaca_data.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(alpaca, null, 2)) });
  const alpacaForm = page.getByRole('form', { name: 'Dataset preview before import' });
  await expect(alpacaForm.getByTestId('detected-format')).toContainText('Alpaca instructions');
  await expect(alpacaForm.getByRole('list', { name: 'First rows as TuneLab reads them' }).getByRole('listitem').first()).toContainText('user Reverse the word. stop');
  await alpacaForm.getByRole('button', { name: 'Import dataset' }).click();
  await expect(page.getByTestId('current-dataset')).toContainText('alpaca_data.json · 2 rows');
  await expect(page.getByRole('table', { name: 'Dataset preview' })).toContainText('messages (2 turns)');
});

test('a Hub dataset by repo id: configs and splits listed, a split previewed, downloaded over two files and imported', async ({ page }) => {
  await page.goto(`${hubServer.current.origin}/`);
  await openPage(page, 'Data');
  const hub = page.getByRole('form', { name: 'Hugging Face dataset' });
  await hub.getByLabel('Hugging Face dataset').fill('tunelab-test/chat-mini');
  await hub.getByText('Advanced').click();
  await hub.getByLabel('Dataset endpoint (a mirror)').fill(`${hubServer.current.origin}/hub`);
  await hub.getByRole('button', { name: 'List splits' }).click();
  const choose = page.getByRole('group', { name: 'Config and split' });
  await expect(choose.getByLabel('Split')).toHaveValue('train');
  await expect(choose.getByLabel('Split').locator('option')).toHaveText(['test (1 file)', 'train (2 files)']);
  await choose.getByRole('button', { name: 'Preview train' }).click();
  const form = page.getByRole('form', { name: 'Dataset preview before import' });
  await expect(form).toContainText('tunelab-test/chat-mini · default/train (first of 2 files): 30 rows in 3 row groups');
  await expect(form.getByTestId('detected-format')).toContainText('ShareGPT conversations');
  await expect(form.getByRole('list', { name: 'First rows as TuneLab reads them' }).getByRole('listitem').first()).toContainText('user w0x');
  await screenshot(page, 'data-hub-preview');
  await audit(page, 'the Hub dataset form and its preview');

  // The second file stalls half-way: the import shows which file downloads, and a cancel keeps no dataset.
  hubServer.current.stallNext('default/train/0001.parquet', 900);
  await form.getByRole('button', { name: 'Import 30 rows' }).click();
  const importing = page.getByRole('status').filter({ hasText: 'Importing tunelab-test/chat-mini (default/train)' });
  await expect(importing).toContainText('Downloading file 2 of 2: 900 B');
  await screenshot(page, 'data-hub-downloading');
  await importing.getByRole('button', { name: 'Cancel import' }).click();
  await expect(page.getByRole('alert')).toContainText('Import cancelled while downloading; nothing was saved.');
  await expect(page.getByRole('heading', { name: 'No dataset yet' })).toBeVisible();

  // Again: the first file comes from the cache, the second downloads whole this time.
  await choose.getByRole('button', { name: 'Preview train' }).click();
  await page.getByRole('form', { name: 'Dataset preview before import' }).getByRole('button', { name: 'Import 30 rows' }).click();
  await expect(page.getByTestId('dataset-rows')).toHaveText('49');
  await expect(page.getByRole('list', { name: 'Skipped lines' })).toHaveText('Row 7: turn 2 of "conversations" is from "tool"; ShareGPT turns are from human, gpt or system');
  await expect(page.getByTestId('current-dataset')).toContainText('tunelab-test/chat-mini (default/train) · 49 rows');
  // The first file was fetched once (the preview's copy served both imports from the cache); the stalled second twice.
  const files = hubServer.current.requests.filter((r) => r.endsWith('.parquet'));
  expect(files).toEqual([
    'datasets/tunelab-test/chat-mini/default/train/0000.parquet',
    'datasets/tunelab-test/chat-mini/default/train/0001.parquet',
    'datasets/tunelab-test/chat-mini/default/train/0001.parquet',
  ]);
  await screenshot(page, 'data-hub-imported');
  // The downloaded files are kept in the Hub file cache (listed, deletable, with the cached models), under the dataset's id.
  await openPage(page, 'Models');
  await expect(page.getByText('datasets/tunelab-test/chat-mini@refs/convert/parquet · 2 files')).toBeVisible();
  await screenshot(page, 'models-hub-dataset-cache');
});

test.describe('Hub dataset errors', () => {
  // The fake Hub's 401 and 404 answers are what the test provokes; the browser logs each failed request.
  test.use({ consoleAllow: [/Failed to load resource: the server responded with a status of 40[14]/] });

  test('a gated dataset and a dataset with no Parquet conversion say so, and what to do', async ({ page }) => {
    await page.goto(`${hubServer.current.origin}/`);
    await openPage(page, 'Data');
    const hub = page.getByRole('form', { name: 'Hugging Face dataset' });
    await hub.getByText('Advanced').click();
    await hub.getByLabel('Dataset endpoint (a mirror)').fill(`${hubServer.current.origin}/hub`);
    await hub.getByLabel('Hugging Face dataset').fill('tunelab-test/gated-mini');
    await hub.getByRole('button', { name: 'List splits' }).click();
    await expect(page.getByRole('alert')).toContainText('The Hub refused the dataset tunelab-test/gated-mini (HTTP 401): it is gated or private.');
    await expect(page.getByRole('alert')).toContainText('accept its terms');
    await screenshot(page, 'data-hub-gated');
    await hub.getByLabel('Hugging Face dataset').fill('tunelab-test/no-such-dataset');
    await hub.getByRole('button', { name: 'List splits' }).click();
    await expect(page.getByRole('alert')).toContainText('The Hub has no Parquet version of the dataset tunelab-test/no-such-dataset (HTTP 404)');
    await expect(page.getByRole('group', { name: 'Config and split' })).toHaveCount(0);
  });
});

test('with a Hub model loaded, rows longer than its context are counted in its own tokens on the Data and Train pages', async ({ page }) => {
  await loadHubModel(page, hubServer.current.origin, 'tunelab-test/tiny-gpt2');
  await expect(page.getByTestId('current-model')).toHaveText('tunelab-test/tiny-gpt2@main (loaded)', { timeout: 60_000 });
  await openPage(page, 'Data');
  // tiny-gpt2's BPE merges " the" into one token (context 32): 49 characters are 14 tokens, 161 characters are 42.
  const rows = ['a', 'b', 'c'].map((p) => JSON.stringify({ prompt: p, completion: ' the'.repeat(12) }));
  rows.push(JSON.stringify({ prompt: 'z', completion: ' the'.repeat(40) }));
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'the.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(rows.join('\n')) });
  await expect(page.getByTestId('dataset-rows')).toHaveText('4');
  const sentence = '1 row exceeds the context of tunelab-test/tiny-gpt2@main (32 tokens); the longest has 42 tokens (counted with its own tokenizer, as training encodes them).';
  await expect(page.getByTestId('long-rows')).toContainText(sentence);
  await screenshot(page, 'data-long-rows-in-tokens');
  await openPage(page, 'Train');
  await expect(page.getByTestId('long-rows-choice')).toContainText(sentence);
});
