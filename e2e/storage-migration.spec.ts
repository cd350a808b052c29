// A dataset saved by schema v1 (the interim parser's flat rows) opens after the v2 upgrade with data-layer rows and stats.
import { test, expect } from '@playwright/test';
import { openPage } from './helpers';

test('a v1 dataset is migrated: rows get kind, line, record id and seeded split; stats and sha-256 are redone', async ({ page }) => {
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
  const rows = await page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('tunelab');
        open.onsuccess = () => {
          const get = open.result.transaction('datasets').objectStore('datasets').get('old-1');
          get.onsuccess = () => resolve((get.result as { rows: unknown[] }).rows);
          get.onerror = () => reject(get.error);
        };
      }),
  );
  expect(rows).toHaveLength(3);
  expect(rows[1]).toMatchObject({ line: 3, kind: 'text', prompt: '', completion: 'plain text', cohort: 'b' });
  expect(rows[0]).toMatchObject({ line: 1, kind: 'prompt-completion' });
  // Exact duplicates share a record id and therefore a split.
  const [first, , third] = rows as { id: string; split: string }[];
  expect(first.id).toMatch(/^[0-9a-f]{16}$/);
  expect(third.id).toBe(first.id);
  expect(third.split).toBe(first.split);
});
