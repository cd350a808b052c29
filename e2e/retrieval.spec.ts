// Retrieval: import pairs (CSV through a column mapping), a BEIR corpus, queries and qrels; a pair with an empty side is
// named; fine-tune tiny-world-400k as an embedder for a few steps; the table shows base against fine-tuned.
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import { screenshot, useBackendFromEnv } from './helpers';

useBackendFromEnv();

const pages: Record<string, string> = {
  cashdesk: 'billing: charges, invoices, card payments and fees',
  techdesk: 'login help: passwords, sign in codes and accounts',
  warehouse: 'shipping: packages, orders, delivery and tracking',
  manager: 'refunds: money back, refund requests and returns',
};
const train: [string, string][] = [
  ['my refund is missing', 'cashdesk'],
  ['the app freezes', 'techdesk'],
  ['send a return label for my order', 'warehouse'],
  ['your agent was rude to me', 'manager'],
  ['i was charged twice', 'cashdesk'],
  ['the website will not load', 'techdesk'],
  ['my package is late', 'warehouse'],
  ['i want to speak to a person', 'manager'],
];
const queries: [string, string, string][] = [
  ['q1', 'the refund never came', 'cashdesk'],
  ['q2', 'dark mode looks broken', 'techdesk'],
  ['q3', 'i need a return slip for this item', 'warehouse'],
  ['q4', 'the driver yelled at me', 'manager'],
  ['q5', 'my bill went up', 'cashdesk'],
  ['q6', 'the search bar is blank', 'techdesk'],
  ['q7', 'tracking shows nothing', 'warehouse'],
  ['q8', 'let me talk to your boss', 'manager'],
  ['q9', 'my card was declined', 'cashdesk'],
  ['q10', 'i cannot log in', 'techdesk'],
];
const csv = ['ticket,team_page', ...train.map(([t, team]) => `${t},"${pages[team]}"`)].join('\n');
const corpus = Object.entries(pages).map(([id, text]) => JSON.stringify({ _id: id, text })).join('\n');
const queriesJsonl = queries.map(([id, text]) => JSON.stringify({ _id: id, text })).join('\n');
const qrels = ['query-id\tcorpus-id\tscore', ...queries.map(([id, , team]) => `${id}\t${team}\t1`)].join('\n');
const file = (name: string, text: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });

test('import pairs and a BEIR set → fine-tune a few steps → base against fine-tuned', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Retrieval' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Retrieval' })).toBeVisible();
  await page.getByLabel('Import files').check();
  await page.getByLabel('Corpus (BEIR corpus.jsonl)').setInputFiles(file('corpus.jsonl', corpus));
  await page.getByLabel('Queries (BEIR queries.jsonl)').setInputFiles(file('queries.jsonl', queriesJsonl));
  await page.getByLabel('Qrels (TSV: query-id, corpus-id, score)').setInputFiles(file('qrels.tsv', qrels));
  // A pair with an empty side is named by its row, and nothing is kept.
  await page.getByLabel(/^Pairs/).setInputFiles(file('pairs.csv', `${csv}\nmy box came open,`));
  await expect(page.getByText('Pair on row 10 has an empty "team_page".')).toBeVisible();
  await page.getByLabel(/^Pairs/).setInputFiles(file('pairs.csv', csv));
  await expect(page.getByLabel('Anchor column')).toHaveValue('ticket');
  await page.getByLabel('Positive column').selectOption('team_page');
  await expect(page.getByTestId('retrieval-data')).toContainText('8 pairs, 4 documents, 8 test and 2 validation queries');
  await expect(page.getByText('0 training anchors are also evaluation queries')).toBeVisible();

  await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('3');
  await page.getByRole('spinbutton', { name: 'Validate every (steps)' }).fill('1');
  await page.getByRole('button', { name: 'Fine-tune and compare' }).click();
  const table = page.getByRole('table', { name: 'Retrieval scores on the test queries' });
  await expect(table).toBeVisible({ timeout: 300_000 });
  await expect(table.getByRole('columnheader', { name: 'fine-tuned (3 steps)' })).toBeVisible();
  await expect(page.getByTestId('score-recall@1').getByRole('cell')).toHaveCount(3);
  await expect(page.getByTestId('score-ndcg@10')).toContainText(/\d\.\d+ \[\d/);
  await expect(page.getByRole('figure', { name: 'Validation recall@1 and nDCG@10' })).toBeVisible();
  // The queries whose relevant page moved most: the table, or (3 steps may move none) the sentence saying so.
  const changes = page.getByRole('table', { name: 'Queries whose rank changed most' });
  await expect(changes.or(page.getByText(/No test query.s relevant document changed rank\./))).toBeVisible();
  const changeRows = (await changes.isVisible()) ? await changes.locator('tbody tr').allTextContents() : [];
  // The result is stored: listed on the page, the one shown.
  const stored = page.getByRole('table', { name: 'Stored retrieval results' });
  await expect(stored.locator('tbody tr')).toHaveCount(1);
  await expect(stored).toContainText('Retrieval · tiny-world-400k · LoRA r8, 3 steps · recall@1');
  await expect(page.getByTestId('retrieval-shown')).toContainText('corpus.jsonl');
  await screenshot(page, 'retrieval');
  // The page with its results passes axe, in the normal view and in presentation mode, and its tab is reached by keyboard.
  for (const presentation of [false, true]) {
    if (presentation) await page.getByRole('button', { name: 'Presentation mode' }).click();
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
  }
  await screenshot(page, 'retrieval-presentation');
  await page.getByRole('tab', { name: 'Storage' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Retrieval' })).toBeFocused();
  await page.getByRole('button', { name: 'Presentation mode' }).click();

  // After a reload the stored result is back: the same scores and the same rank changes, with no data loaded.
  const scores = await table.locator('tbody tr').allTextContents();
  await page.reload();
  await page.getByRole('tab', { name: 'Retrieval' }).click();
  await expect(table).toBeVisible();
  expect(await table.locator('tbody tr').allTextContents()).toEqual(scores);
  if (changeRows.length) expect(await changes.locator('tbody tr').allTextContents()).toEqual(changeRows);
  else await expect(page.getByText(/No test query.s relevant document changed rank\./)).toBeVisible();
  await expect(page.getByTestId('retrieval-data')).toBeHidden();
  await screenshot(page, 'retrieval-after-reload');
  // The Storage page lists it with every run; deleting it on the Retrieval page takes it off both.
  await page.getByRole('tab', { name: 'Storage' }).click();
  await expect(page.getByText(/Retrieval · tiny-world-400k · LoRA r8, 3 steps · recall@1 [\d.]+ → [\d.]+ — completed, step 3/)).toBeVisible();
  await page.getByRole('tab', { name: 'Retrieval' }).click();
  await page.getByRole('button', { name: /^Delete Retrieval · / }).click();
  await expect(stored).toBeHidden();
  await expect(table).toBeHidden();
  await page.getByRole('tab', { name: 'Storage' }).click();
  await expect(page.getByText(/Retrieval · tiny-world-400k/)).toBeHidden();
});

test('a sentence-transformers encoder folder on the generated Tiny World task: base scores, then two steps', async ({ page }) => {
  await page.goto('/#/retrieval');
  await expect(page.getByRole('heading', { level: 2, name: 'Retrieval' })).toBeVisible();
  await page.getByRole('combobox', { name: /^Model/ }).selectOption('encoder');
  await page.getByLabel(/^Encoder folder/).setInputFiles('src/engine/hub/fixtures/tunelab-test/tiny-bert-st');
  await page.getByRole('spinbutton', { name: 'Training pairs' }).fill('16');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('retrieval-data')).toContainText('16 pairs, 4 team pages, 200 test and 64 validation queries');
  await page.getByRole('button', { name: 'Score the base' }).click();
  const table = page.getByRole('table', { name: 'Retrieval scores on the test queries' });
  await expect(table).toBeVisible({ timeout: 300_000 });
  await expect(table).toContainText('200 test queries');
  await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('2');
  await page.getByRole('button', { name: 'Fine-tune and compare' }).click();
  await expect(table.getByRole('columnheader', { name: 'fine-tuned (2 steps)' })).toBeVisible({ timeout: 300_000 });
  await screenshot(page, 'retrieval-encoder');
});
