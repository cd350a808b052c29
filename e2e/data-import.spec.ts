// Importing data: a malformed JSONL line is reported by number and reason, the valid rows are kept; CSV with mapping; duplicates and near-duplicates.
import { test, expect } from './fixtures';
import { openPage, screenshot } from './helpers';

const jsonl = [
  JSON.stringify({ prompt: 'abc>', completion: 'cba.' }),
  JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }),
  '{"prompt": "broken", ',
  JSON.stringify({ text: 'plain text row', cohort: 'b' }),
  JSON.stringify({ prompt: 'no completion' }),
  '',
].join('\n');

test('a malformed JSONL line is named, valid rows are kept', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Data');
  await expect(page.getByRole('heading', { name: 'No dataset yet' })).toBeVisible();
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'mixed.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(jsonl) });
  await expect(page.getByTestId('dataset-rows')).toHaveText('3');
  const skipped = page.getByRole('list', { name: 'Skipped lines' });
  await expect(skipped.getByRole('listitem')).toHaveCount(2);
  await expect(skipped).toContainText('Line 3: not valid JSON');
  await expect(skipped).toContainText('Line 5: has "prompt" but no text "completion"');
  const preview = page.getByRole('table', { name: 'Dataset preview' });
  await expect(preview).toContainText('abc>');
  await expect(preview).toContainText('plain text row');
  await expect(page.getByTestId('current-dataset')).toContainText('mixed.jsonl · 3 rows');
  await screenshot(page, 'data-bad-lines');
});

test('a CSV is imported through the column mapping', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Data');
  const csv = 'question,answer,tier\n"what is 1+1?",2,free\n"say ""hi""",hi,pro\n';
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'qa.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const form = page.getByRole('form', { name: 'CSV column mapping' });
  await form.getByLabel('Prompt column').selectOption('question');
  await form.getByLabel('Completion column').selectOption('answer');
  await form.getByLabel('Cohort column').selectOption('tier');
  await form.getByRole('button', { name: 'Import CSV' }).click();
  await expect(page.getByTestId('dataset-rows')).toHaveText('2');
  await expect(page.getByRole('table', { name: 'Dataset preview' })).toContainText('say "hi"');
});

test('a Tiny World dataset is generated for one skill', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Data');
  const form = page.getByRole('form', { name: 'Tiny World dataset' });
  await form.getByLabel('Tiny World skill').selectOption('ADD');
  await form.getByLabel('Rows').fill('50');
  await form.getByRole('button', { name: 'Generate Tiny World dataset' }).click();
  await expect(page.getByTestId('dataset-rows')).toHaveText('50');
  await expect(page.getByTestId('current-dataset')).toContainText('Tiny World ADD (50 rows');
});

test('the dataset view shows duplicates, the PII scan, sha-256, seeded splits and the token-length histogram', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Data');
  const lines = [
    JSON.stringify({ prompt: 'write to', completion: 'ann@example.org' }),
    JSON.stringify({ prompt: 'write  to', completion: 'ann@example.org ' }),
    JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello', weight: 1 }] }),
    JSON.stringify({ text: 'server 192.168.1.20' }),
  ].join('\n');
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'pii.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(lines) });
  await expect(page.getByTestId('dataset-rows')).toHaveText('4');
  // Lines 1 and 2 differ only in whitespace.
  await expect(page.getByTestId('dataset-duplicates')).toHaveText('1');
  await expect(page.getByRole('list', { name: 'Duplicate groups' })).toHaveText('lines 1, 2');
  const pii = page.getByTestId('pii-scan');
  await expect(pii).toContainText('e-mail addresses: 2 in 2 rows (lines 1, 2)');
  await expect(pii).toContainText('IP addresses: 1 in 1 rows (lines 4)');
  await expect(page.getByTestId('dataset-sha256')).toHaveText(/^[0-9a-f]{64}$/);
  const splits = await page.getByTestId('dataset-splits').textContent();
  const counts = [...(splits ?? '').matchAll(/\d+/g)].map(Number);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(4);
  await expect(page.getByRole('figure', { name: 'Rows by length in tokens' }).locator('svg rect').first()).toBeVisible();
  const preview = page.getByRole('table', { name: 'Dataset preview' });
  await expect(preview).toContainText('messages (2 turns, weighted)');
  await expect(preview).toContainText('user: hi');
  await screenshot(page, 'data-view');
});

test('the dataset view shows near-duplicates beside exact duplicates, with their similarity', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Data');
  const ten = 'the quick brown fox jumps over a lazy sleeping dog';
  const lines = [
    JSON.stringify({ prompt: ten, completion: 'yes' }),
    JSON.stringify({ prompt: ten, completion: 'yes' }), // an exact copy: a duplicate, not a near-duplicate
    JSON.stringify({ prompt: ten.replace('dog', 'cat'), completion: 'yes' }), // 9 of 11 word pairs shared → 82%
    JSON.stringify({ prompt: 'what is two plus two', completion: 'four' }),
  ].join('\n');
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'near.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(lines) });
  await expect(page.getByTestId('dataset-rows')).toHaveText('4');
  await expect(page.getByTestId('dataset-duplicates')).toHaveText('1');
  await expect(page.getByTestId('dataset-near-duplicates')).toHaveText('1');
  await expect(page.getByRole('list', { name: 'Near-duplicate pairs' })).toHaveText('lines 1 and 3: 82% similar');
  await page.getByRole('list', { name: 'Near-duplicate pairs' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'data-near-duplicates');
});
