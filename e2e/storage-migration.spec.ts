// Datasets saved by older schemas open after the upgrade: v1 (flat rows) through v2 (data-layer rows, stats) to v3 (rows in chunks).
import { test, expect, type Page } from './fixtures';
import { openPage, screenshot, startTinyRun } from './helpers';
import { reversalRecords } from '../workers/helpers/example-dataset';
import { recordToRow, summariseRows } from '../src/storage/dataset-rows';

/** Every row chunk stored for a dataset, in order (schema v3: datasetChunks keyed [datasetId, index]). */
function readChunks(page: Page, datasetId: string): Promise<{ index: number; rows: Record<string, unknown>[] }[]> {
  return page.evaluate(
    (id) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('tunelab');
        open.onsuccess = () => {
          const get = open.result.transaction('datasetChunks').objectStore('datasetChunks').getAll(IDBKeyRange.bound([id, 0], [id, Infinity]));
          get.onsuccess = () => {
            open.result.close();
            resolve(get.result);
          };
          get.onerror = () => reject(get.error);
        };
        open.onerror = () => reject(open.error);
      }),
    datasetId,
  );
}

test('a v1 dataset is migrated via v2 to v3: rows get kind, line, record id and seeded split, stats redone, rows moved into a chunk', async ({ page }) => {
  // A page of the same origin that does not open the database, to write it as v1 would have.
  await page.goto('/favicon.svg');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('tunelab', 1);
        open.onupgradeneeded = () => {
          const db = open.result;
          db.createObjectStore('datasets', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
          const runs = db.createObjectStore('runs', { keyPath: 'id' });
          runs.createIndex('createdAt', 'createdAt');
          runs.createIndex('datasetId', 'datasetId');
          db.createObjectStore('checkpoints', { keyPath: 'id' }).createIndex('runId', 'runId');
          db.createObjectStore('adapters', { keyPath: 'id' }).createIndex('runId', 'runId');
          db.createObjectStore('models', { keyPath: 'id' }).createIndex('modelId', 'modelId');
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('datasets', 'readwrite');
          tx.objectStore('datasets').put({
            id: 'old-1',
            name: 'old.jsonl',
            source: 'file',
            format: 'jsonl',
            createdAt: 1,
            sha256: 'interim-hash',
            splitSeed: 1234,
            rows: [
              { id: 'L1', prompt: 'abc>', completion: 'cba.' },
              { id: 'L3', prompt: '', completion: 'plain text', cohort: 'b' },
              { id: 'L4', prompt: 'abc>', completion: 'cba.' },
            ],
            badLineList: [{ line: 2, reason: 'not valid JSON' }],
            stats: { rows: 3, badLines: 1, duplicates: 1, lengthHistogram: [], minLength: 0, maxLength: 0, meanLength: 0, pii: [], splits: { train: 3, validation: 0, test: 0 } },
          });
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.goto('/');
  await openPage(page, 'Data');
  await page.getByLabel('Current dataset').selectOption({ label: 'old.jsonl · 3 rows' });
  await expect(page.getByTestId('dataset-rows')).toHaveText('3');
  await expect(page.getByTestId('dataset-duplicates')).toHaveText('1');
  await expect(page.getByRole('list', { name: 'Duplicate groups' })).toHaveText('lines 1, 4');
  await expect(page.getByTestId('dataset-sha256')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByRole('list', { name: 'Skipped lines' })).toContainText('Line 2: not valid JSON');
  const chunks = await readChunks(page, 'old-1');
  expect(chunks).toHaveLength(1);
  const rows = chunks[0].rows;
  const record = await page.evaluate(
    () =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const open = indexedDB.open('tunelab');
        open.onsuccess = () => {
          const get = open.result.transaction('datasets').objectStore('datasets').get('old-1');
          get.onsuccess = () => resolve(get.result as Record<string, unknown>);
          get.onerror = () => reject(get.error);
        };
      }),
  );
  // v3: the dataset record holds no rows any more, only where they are.
  expect(record.rows).toBeUndefined();
  expect(record.chunkRows).toEqual([3]);
  expect(rows).toHaveLength(3);
  expect(rows[1]).toMatchObject({ line: 3, kind: 'text', prompt: '', completion: 'plain text', cohort: 'b' });
  expect(rows[0]).toMatchObject({ line: 1, kind: 'prompt-completion' });
  // Exact duplicates share a record id and therefore a split.
  const [first, , third] = rows as { id: string; split: string }[];
  expect(first.id).toMatch(/^[0-9a-f]{16}$/);
  expect(third.id).toBe(first.id);
  expect(third.split).toBe(first.split);
});

test('a v2 dataset of 4,500 rows moves into 3 chunks: it opens, pages through its rows, trains, and deletes every chunk', async ({ page }) => {
  // The v2 record as schema v2 wrote it: every row inside, stats from the same code v2 used.
  const rows = reversalRecords(4500, 21).map((r) => recordToRow(r, 1234));
  const v2 = { id: 'v2-big', name: 'v2-big.jsonl', source: 'file', format: 'jsonl', createdAt: 2, splitSeed: 1234, rows, badLineList: [], ...(await summariseRows(rows, 0)) };
  await page.goto('/favicon.svg');
  await page.evaluate(
    (record) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('tunelab', 2);
        open.onupgradeneeded = () => {
          const db = open.result;
          db.createObjectStore('datasets', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
          const runs = db.createObjectStore('runs', { keyPath: 'id' });
          runs.createIndex('createdAt', 'createdAt');
          runs.createIndex('datasetId', 'datasetId');
          db.createObjectStore('checkpoints', { keyPath: 'id' }).createIndex('runId', 'runId');
          db.createObjectStore('adapters', { keyPath: 'id' }).createIndex('runId', 'runId');
          db.createObjectStore('models', { keyPath: 'id' }).createIndex('modelId', 'modelId');
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('datasets', 'readwrite');
          tx.objectStore('datasets').put(record);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    v2,
  );
  await page.goto('/');
  await openPage(page, 'Data');
  await page.getByLabel('Current dataset').selectOption({ label: 'v2-big.jsonl · 4500 rows' });
  await expect(page.getByTestId('dataset-rows')).toHaveText('4,500');
  await expect(page.getByTestId('dataset-sha256')).toHaveText(v2.sha256);

  const chunks = await readChunks(page, 'v2-big');
  expect(chunks.map((c) => c.rows.length)).toEqual([2000, 2000, 500]);
  expect(chunks.flatMap((c) => c.rows)).toEqual(rows);

  // The preview reads one page from the chunks that hold it.
  const preview = page.getByRole('table', { name: 'Dataset preview' });
  await expect(page.getByTestId('preview-range')).toHaveText('Rows 1–25 of 4,500');
  await expect(preview).toContainText(rows[0].prompt);
  await page.getByRole('button', { name: 'Last page' }).click();
  await expect(page.getByTestId('preview-range')).toHaveText('Rows 4,476–4,500 of 4,500');
  await expect(preview.getByRole('row').last()).toContainText(rows[4499].id);
  // Row 1,990 starts a page that spans chunks 0 and 1.
  await page.getByLabel('Go to row').fill('1990');
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await expect(page.getByTestId('preview-range')).toHaveText('Rows 1,976–2,000 of 4,500');
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByTestId('preview-range')).toHaveText('Rows 2,001–2,025 of 4,500');
  await expect(preview.getByRole('row').nth(1)).toContainText(rows[2000].id);
  await screenshot(page, 'data-migrated-v2-paged');

  // A run reads the migrated rows chunk by chunk in the worker (2 steps are enough to show it trains).
  await startTinyRun(page, { steps: 2, checkpointEvery: 2 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  // Evaluation gathers the test split from all three chunks.
  await openPage(page, 'Evaluate');
  await page.getByRole('button', { name: 'Evaluate base vs fine-tuned' }).click();
  await expect(page.getByRole('table', { name: 'Evaluation results' })).toBeVisible({ timeout: 180_000 });
  await expect(page.getByText(/held-out examples\./)).toHaveText(`${rows.filter((r) => r.split === 'test').length} held-out examples.`);

  await openPage(page, 'Storage');
  const table = page.getByRole('table', { name: 'Stored items' });
  await expect(table).toContainText('v2-big.jsonl (4500 rows in 3 chunks)');
  await table.getByRole('button', { name: /^Delete datasets v2-big/ }).click();
  await expect(table).not.toContainText('v2-big.jsonl (4500 rows');
  expect(await readChunks(page, 'v2-big')).toEqual([]);
});
