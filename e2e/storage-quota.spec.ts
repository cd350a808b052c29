// Storage: a quota error is shown to the user and leaves no half-written record; the Storage page lists and deletes items.
import { test, expect } from './fixtures';
import { createExampleDataset, openPage } from './helpers';

// The service worker's precache (≈ 8 MiB in Cache Storage) counts against the same origin quota these tests shrink to
// 1 MiB; whether it landed before the override would decide the outcome, so these tests run without it (Playwright's
// block says so in the console, once).
test.use({ serviceWorkers: 'block', consoleAllow: [/Service Worker registration blocked by Playwright/] });

test('a dataset larger than the storage quota is refused whole, with a message saying what to do', async ({ page, baseURL }) => {
  await page.goto('/');
  await openPage(page, 'Data');
  // Chromium's DevTools protocol sets a real quota for this origin: IndexedDB then throws QuotaExceededError itself.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 256 * 1024 });
  const line = (i: number) => JSON.stringify({ prompt: `question ${i} ${'x'.repeat(200)}`, completion: `answer ${i}` });
  const big = Array.from({ length: 4000 }, (_, i) => line(i)).join('\n');
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'big.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(big) });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Not enough browser storage to save dataset “big.jsonl”; nothing was saved.');
  await expect(alert).toContainText('Free space on the Storage page');
  await expect(page.getByRole('heading', { name: 'No dataset yet' })).toBeVisible();
  await openPage(page, 'Storage');
  await expect(page.getByRole('heading', { name: 'Nothing stored yet' })).toBeVisible();

  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin });
  await createExampleDataset(page);
  await openPage(page, 'Storage');
  const table = page.getByRole('table', { name: 'Stored items' });
  await expect(table).toContainText('Example: reverse a word');
  await table.getByRole('button', { name: /^Delete datasets Example/ }).click();
  await expect(page.getByRole('heading', { name: 'Nothing stored yet' })).toBeVisible();
  await expect(page.getByTestId('current-dataset')).toContainText('none yet');
});

test('a quota error after some row chunks were saved removes those chunks too: nothing half-written remains', async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await openPage(page, 'Data');
  // The most row chunks seen in storage at any moment of the import.
  await page.evaluate(() => {
    const w = window as unknown as { maxChunks: number };
    w.maxChunks = 0;
    const poll = () => {
      const open = indexedDB.open('tunelab');
      open.onsuccess = () => {
        const count = open.result.transaction('datasetChunks').objectStore('datasetChunks').count();
        count.onsuccess = () => {
          w.maxChunks = Math.max(w.maxChunks, count.result);
          open.result.close();
          setTimeout(poll, 50);
        };
      };
    };
    poll();
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 1024 * 1024 });
  // 6,000 short rows (three small chunks that fit), then long random rows whose first chunk (~1.3 MB) cannot fit.
  let seed = 7;
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const noise = (n: number) => Array.from({ length: n }, () => letters[(seed = (seed * 1103515245 + 12345) % 2147483648) % letters.length]).join('');
  const lines = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ prompt: `q${i}`, completion: `a${i}` }));
  for (let i = 0; i < 2500; i++) lines.push(JSON.stringify({ prompt: `long ${i} ${noise(600)}`, completion: `answer ${i}` }));
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'bigger.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(lines.join('\n')) });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Not enough browser storage to save dataset “bigger.jsonl”; nothing was saved.', { timeout: 240_000 });
  await expect(page.getByRole('heading', { name: 'No dataset yet' })).toBeVisible();
  await page.waitForTimeout(300);
  const seen = await page.evaluate(() => (window as unknown as { maxChunks: number }).maxChunks);
  const left = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('tunelab');
        open.onsuccess = () => {
          const count = open.result.transaction('datasetChunks').objectStore('datasetChunks').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
      }),
  );
  // Chunks were written before the quota ran out, and none of them is left.
  expect(seen).toBeGreaterThanOrEqual(1);
  expect(left).toBe(0);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin });
});
