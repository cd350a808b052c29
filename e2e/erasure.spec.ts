// Forget end to end: canaries → LoRA run → forget the canary rows → exact retrain + gradient ascent → the erasure report shows
// exposure before/after beside a control, the new hash, and a scan of IndexedDB and Cache Storage with zero hits.
import { test, expect } from './fixtures';
import { DB_VERSION } from '../src/storage/schema';
import { cancelRun, createExampleDataset, openPage, screenshot, startRun, startTinyRun, UNFINISHABLE_STEPS, useBackendFromEnv, useTinyModel } from './helpers';

useBackendFromEnv();

test('insert canaries → train → forget them → retrain → the erasure report proves them gone', async ({ page }) => {
  await page.goto('/');
  await useTinyModel(page);
  await createExampleDataset(page);
  await page.getByLabel('Template').fill('my pin is {ddd}');
  await page.getByLabel('Repetitions (one canary each)').fill('8');
  await page.getByRole('button', { name: 'Insert canaries' }).click();
  await expect(page.getByTestId('dataset-rows')).toHaveText('408');

  await openPage(page, 'Train');
  await page.getByLabel('LoRA (adapter only)').check();
  await startRun(page, { steps: 6, batchSize: 4, learningRate: '0.01', warmupSteps: 0, checkpointEvery: 6, validateEvery: 6 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });

  await openPage(page, 'Data');
  const forget = page.getByRole('region', { name: 'Forget records' });
  // A request that matches nothing says so, and nothing happens.
  await forget.getByLabel('Select records by').selectOption('Text search');
  await forget.getByLabel('Search', { exact: true }).fill('no row says this');
  await forget.getByRole('button', { name: 'Find records' }).click();
  await expect(forget.getByRole('alert')).toContainText(/No record of .* matches/);
  await forget.getByRole('button', { name: 'Dismiss' }).click();

  await forget.getByLabel('Select records by').selectOption('Tag');
  await expect(forget.getByLabel('Tag', { exact: true })).toHaveValue('canary');
  await forget.getByRole('button', { name: 'Find records' }).click();
  await expect(forget.getByTestId('forget-matches')).toContainText('8 rows match (1 distinct record; 8 in the training split');
  const lineage = forget.getByRole('table', { name: 'Lineage of the records' });
  await expect(lineage.locator('tbody tr')).toHaveCount(2); // the canaried version and the run on it
  await expect(lineage).toContainText('completed at step 6; 1 checkpoint');
  await forget.getByLabel('Ascent steps', { exact: true }).fill('3');
  await screenshot(page, 'erasure-forget');
  await forget.getByRole('button', { name: 'Forget, retrain and erase' }).click();

  const report = page.getByTestId('erasure-report');
  await expect(report).toBeVisible({ timeout: 150_000 });
  await expect(report).toContainText('8 rows removed');
  const before = await report.getByTestId('hash-before').textContent();
  const after = await report.getByTestId('hash-after').textContent();
  expect(before).toMatch(/^[0-9a-f]{64}$/);
  expect(after).toMatch(/^[0-9a-f]{64}$/);
  expect(after).not.toBe(before);
  // Each model: the forgotten canary (exposure within [0, log2 1000], placed against the controls, and its change from
  // the base against theirs) and the never-inserted controls' intervals: 50 where the space allows; the Nano's
  // character vocabulary holds only the digits its data has, which leaves 22 secrets of the template besides the canary.
  const exposure = report.getByRole('table', { name: 'Forgotten canaries before and after' });
  await expect(exposure.locator('tbody tr')).toHaveCount(6);
  const controlRows = exposure.locator('tbody tr', { hasText: 'never inserted' });
  await expect(controlRows).toHaveCount(3);
  for (const row of await controlRows.all()) expect((await row.locator('td').nth(2).textContent()) ?? '').toMatch(/^\d+\.\d\d–\d+\.\d\d \(95% of (2\d|3\d|4\d|50)\)$/);
  for (const row of await exposure.locator('tbody tr', { hasNotText: 'never inserted' }).all()) {
    expect((await row.locator('td').nth(2).textContent()) ?? '').toMatch(/^\d+\.\d\d of 9\.97$/);
    expect((await row.locator('td').nth(5).textContent()) ?? '').toMatch(/^(within|above: still exposed|below: over-forgotten)$/);
    expect((await row.locator('td').nth(6).textContent()) ?? '').toMatch(/^[+−]\d+\.\d\d \(base \d+\.\d\d\): (within|above: still exposed|below: over-forgotten)$/);
  }
  await expect(exposure).toContainText('Exact retrain');
  await expect(exposure).toContainText('Gradient ascent (approximation)');
  await expect(report.getByRole('table', { name: 'Membership score of the forgotten records' }).locator('tbody tr')).toHaveCount(3);
  console.log(`erasure: ${JSON.stringify(await exposure.locator('tbody tr').allTextContents())}`);
  await expect(report.getByTestId('scan-result')).toContainText(/^No forgotten string found:\s+1 forgotten text searched in \d+ IndexedDB stores/);
  await expect(report.getByRole('list', { name: 'Deleted artifacts' }).getByRole('listitem')).toHaveCount(3);
  await screenshot(page, 'erasure-report');

  // The new version is selected: it has the example's 400 rows and no canary.
  await expect(page.getByTestId('dataset-rows')).toHaveText('400');
  // The report downloads as JSON.
  const download = page.waitForEvent('download');
  await report.getByRole('button', { name: 'Download report (JSON)' }).click();
  const json = JSON.parse(await (await (await download).createReadStream()).toArray().then((parts) => Buffer.concat(parts).toString('utf8')));
  expect(json.format).toBe('tunelab-erasure/1');
  expect(json.scan.hits).toEqual([]);
  // The JSON carries every control and the interval the page's verdicts were computed from.
  for (const m of json.measures) {
    const n = m.controls.length;
    expect(n).toBeGreaterThanOrEqual(20);
    expect(n).toBeLessThanOrEqual(50);
    expect(m.controlInterval.controls).toBe(n);
    const sorted = m.controls.map((c: { exposure: number }) => c.exposure).sort((a: number, b: number) => a - b);
    expect(m.controlInterval.low).toBeGreaterThanOrEqual(sorted[0]);
    expect(m.controlInterval.high).toBeLessThanOrEqual(sorted[n - 1]);
    const c = m.canaries[0];
    expect(c.versusControls).toBe(c.exposure > m.controlInterval.high ? 'above' : c.exposure < m.controlInterval.low ? 'below' : 'within');
    // The calibrated comparison: each secret's change from the base against the controls' changes.
    const shifts = m.controls.map((k: { exposure: number; baseExposure: number }) => k.exposure - k.baseExposure).sort((a: number, b: number) => a - b);
    expect(m.controlShiftInterval.controls).toBe(n);
    expect(m.controlShiftInterval.low).toBeGreaterThanOrEqual(shifts[0] - 1e-9);
    expect(m.controlShiftInterval.high).toBeLessThanOrEqual(shifts[n - 1] + 1e-9);
    const shift = c.exposure - c.baseExposure;
    expect(c.shiftVersusControls).toBe(shift > m.controlShiftInterval.high ? 'above' : shift < m.controlShiftInterval.low ? 'below' : 'within');
  }
  expect(JSON.stringify(json)).not.toMatch(/my pin is \d{3}/);
});

test('a forget while a run on that data is training is refused until it is stopped', async ({ page }) => {
  await page.goto('/');
  await createExampleDataset(page);
  await startTinyRun(page, { steps: UNFINISHABLE_STEPS, checkpointEvery: 1000 });
  await openPage(page, 'Data');
  const forget = page.getByRole('region', { name: 'Forget records' });
  await forget.getByLabel('Select records by').selectOption('Record ids');
  const id = (await page.getByRole('table').filter({ hasText: 'Line' }).locator('tbody tr').first().locator('td').nth(2).textContent())!.trim();
  await forget.getByLabel('Record ids', { exact: true }).fill(id);
  await forget.getByRole('button', { name: 'Find records' }).click();
  await expect(forget.getByTestId('forget-matches')).toContainText(/^1 row matches/);
  await forget.getByRole('button', { name: 'Forget, retrain and erase' }).click();
  await expect(forget.getByRole('alert')).toContainText(/is training on these records right now.*Stop it on the Train page first/s);
  await openPage(page, 'Train');
  await cancelRun(page);
  // Nothing was written or deleted: still one dataset, with its 400 rows.
  await openPage(page, 'Data');
  await expect(page.getByTestId('dataset-rows')).toHaveText('400');
  await expect(page.getByLabel('Current dataset').locator('option')).toHaveCount(1);
});

test('an erasure interrupted mid-way (its journal left in IndexedDB) finishes on the next load and scans clean', async ({ page }) => {
  await page.goto('/');
  await createExampleDataset(page);
  // A journal as a tab closed right after it was written: the dataset still stored, nothing deleted yet.
  const text = await page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('tunelab');
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['datasets', 'datasetChunks', 'erasures'], 'readwrite');
          const datasets = tx.objectStore('datasets').getAll();
          datasets.onsuccess = () => {
            const dataset = datasets.result[0] as { id: string; name: string; sha256: string };
            const chunk = tx.objectStore('datasetChunks').get([dataset.id, 0]);
            chunk.onsuccess = () => {
              const row = (chunk.result as { rows: { prompt: string; completion: string }[] }).rows[0];
              const forgotten = `${row.prompt}`;
              const report = {
                format: 'tunelab-erasure/1', id: 'interrupted', createdAt: 1, finishedAt: null, request: 'records tagged “x”', criteria: 'tag', removedRows: 400, removedRowIds: [],
                dataset: { name: dataset.name, before: { id: dataset.id, sha256: dataset.sha256, rows: 400 }, after: { id: 'gone', sha256: '0'.repeat(64), rows: 0 } },
                lineage: [], measures: [], deleted: [], kept: [], scan: null, textsAlsoKept: 0,
              };
              tx.objectStore('erasures').put({ id: 'interrupted', createdAt: 1, state: 'deleting', targets: [{ kind: 'dataset', id: dataset.id, name: dataset.name, done: false }], report, forgotten: [forgotten] });
              tx.oncomplete = () => {
                db.close();
                resolve(forgotten);
              };
            };
          };
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  expect(text.length).toBeGreaterThan(3);
  await page.reload();
  await openPage(page, 'Data');
  const report = page.getByTestId('erasure-report');
  await expect(report.getByTestId('scan-result')).toContainText(/^No forgotten string found:\s+1 forgotten text searched/);
  await expect(report.getByRole('list', { name: 'Deleted artifacts' })).not.toContainText('not yet');
  await expect(page.getByRole('heading', { name: 'No dataset yet' })).toBeVisible();
});

test('a v4 database upgrades to the current schema: the erasures store (v5) appears and stored records stay', async ({ page }) => {
  await page.goto('/favicon.svg');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('tunelab', 4);
        open.onupgradeneeded = () => {
          const db = open.result;
          db.createObjectStore('datasets', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
          const runs = db.createObjectStore('runs', { keyPath: 'id' });
          runs.createIndex('createdAt', 'createdAt');
          runs.createIndex('datasetId', 'datasetId');
          db.createObjectStore('checkpoints', { keyPath: 'id' }).createIndex('runId', 'runId');
          db.createObjectStore('adapters', { keyPath: 'id' }).createIndex('runId', 'runId');
          db.createObjectStore('models', { keyPath: 'id' }).createIndex('modelId', 'modelId');
          db.createObjectStore('datasetChunks', { keyPath: ['datasetId', 'index'] });
          db.createObjectStore('regressionSuites', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('checkpoints', 'readwrite');
          tx.objectStore('checkpoints').put({ id: 'old-run@4', runId: 'old-run', step: 4, createdAt: 1, bytes: 3, state: { kept: true } });
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.goto('/');
  await openPage(page, 'Data');
  const after = await page.evaluate(
    () =>
      new Promise<{ version: number; stores: string[]; kept: unknown }>((resolve, reject) => {
        const open = indexedDB.open('tunelab');
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction('checkpoints').objectStore('checkpoints').get('old-run@4');
          get.onsuccess = () => {
            resolve({ version: db.version, stores: [...db.objectStoreNames], kept: get.result?.state });
            db.close();
          };
          get.onerror = () => reject(get.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  expect(after.version).toBe(DB_VERSION);
  expect(after.stores).toContain('erasures');
  expect(after.kept).toEqual({ kept: true });
});
