// Storage: a quota error is shown to the user and leaves no half-written record; the Storage page lists and deletes items.
import { test, expect } from '@playwright/test';
import { createExampleDataset, openPage } from './helpers';

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
