// What a fine-tune breaks: bad suite files refused with nothing saved, a suite built from a JSONL of REV items, a ROUTE run at a high rate, REV flagged.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from './fixtures';
import { generateWorldDataset, openPage, screenshot, startRun, useBackendFromEnv } from './helpers';
import { generateEvalSet } from '../src/engine/world';

useBackendFromEnv();

async function noAxeViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
}

const jsonl = (rows: object[]) => Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

test('a suite from a file is scored before and after a run, and the skill the run destroyed is flagged', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Models');
  await page.getByLabel(/Tiny World 400k \(pretrained/).check();
  await expect(page.getByTestId('current-model')).toContainText('Tiny World 400k');
  await generateWorldDataset(page, 'ROUTE', 200);

  await openPage(page, 'Train');
  const picker = page.getByRole('region', { name: 'Regression suite', exact: true });
  // By keyboard: the builder opens from its summary with Enter.
  await picker.getByText('Build a suite').focus();
  await page.keyboard.press('Enter');
  const file = page.getByLabel('Suite file (JSONL)');
  const suiteSelect = page.getByLabel('Suite for the next run');

  // Bad input: no prompt/answer columns, then too few items; each says what to do and leaves nothing stored.
  await file.setInputFiles({ name: 'labels.jsonl', mimeType: 'application/jsonl', buffer: jsonl([{ id: 1, label: 'a' }, { id: 2, label: 'b' }]) });
  await page.getByRole('button', { name: 'Save suite' }).click();
  await expect(picker.getByRole('alert')).toContainText('None of the 2 rows has prompt and answer fields (its first row has: id, label).');
  await picker.getByRole('button', { name: 'Dismiss' }).click();
  // A user's REV items exported from Tiny World (its eval half, never in a train split): reversal is what they need to keep.
  const rev = generateEvalSet('REV', 12, 4242).map((e) => ({ prompt: e.prompt, answer: e.completion.replace(/\n$/, ''), ability: 'reverse' }));
  await file.setInputFiles({ name: 'keep.jsonl', mimeType: 'application/jsonl', buffer: jsonl(rev.slice(0, 6)) });
  await page.getByRole('button', { name: 'Save suite' }).click();
  await expect(picker.getByRole('alert')).toContainText('Too few items for an interval: “reverse” has 6; each ability needs at least 10.');
  await picker.getByRole('button', { name: 'Dismiss' }).click();
  await expect(suiteSelect.locator('option')).toHaveText(['None']);

  await file.setInputFiles({ name: 'keep.jsonl', mimeType: 'application/jsonl', buffer: jsonl(rev) });
  await page.getByLabel('Suite name').fill('keep reversing');
  // Plus the built-in held-out text check (perplexity of Tiny World text the base never trained on).
  await picker.getByLabel('held-out text (perplexity)').check();
  await picker.getByLabel('Items per built-in check').fill('10');
  await page.getByRole('button', { name: 'Save suite' }).click();
  await expect(picker.getByRole('status')).toHaveText('Saved “keep reversing” and chose it for the next run.');
  await expect(suiteSelect.locator('option:checked')).toHaveText('keep reversing');
  await expect(page.getByTestId('regression-chosen')).toContainText('keep.jsonl, 12 rows; 1 built-in check × 10 items: reverse (12 answers), held-out text (perplexity)');

  // LoRA on ROUTE at a rate far too high for this base (0.03): in Node this took REV from 100% to 0% within two steps.
  await startRun(page, { steps: 4, batchSize: 4, learningRate: '0.03', warmupSteps: 0, checkpointEvery: 4, validateEvery: 4, probeItems: 0 });
  // The run completes only after the fine-tune is scored on the suite (the job scores it before reporting the end).
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 240_000 });
  const results = page.getByTestId('regression-results');
  await expect(results.getByTestId('regression-flag')).toContainText('regressed beyond its interval: reverse (100% → 0%)');
  await expect(results.getByRole('row', { name: /held-out text/ }).getByRole('cell').first()).toHaveText('perplexity (lower is better)');
  const row = results.getByRole('row', { name: /reverse/ });
  await expect(row).toHaveAttribute('data-verdict', 'regressed');
  await expect(row.getByRole('cell').last()).toHaveText('▼ Regressed');
  await screenshot(page, 'regression-suite-train');
  // The picker (builder open) and the results table, audited where they show.
  await noAxeViolations(page);

  await openPage(page, 'Evaluate');
  await expect(page.getByRole('table', { name: 'Regression suite: base vs fine-tuned' }).getByRole('row', { name: /reverse/ })).toHaveAttribute('data-verdict', 'regressed');
  await screenshot(page, 'regression-suite-evaluate');
  await noAxeViolations(page);

  // Prompts longer than the base's 64-character context: the run stops before its first step and says which item and why.
  await openPage(page, 'Train');
  await picker.getByText('Build a suite').click();
  await file.setInputFiles({ name: 'long.jsonl', mimeType: 'application/jsonl', buffer: jsonl(rev.map((r, i) => (i === 2 ? { ...r, prompt: `${'the long preamble '.repeat(4)}${r.prompt}` } : r))) });
  await page.getByLabel('Suite name').fill('too long');
  await picker.getByRole('button', { name: 'Save suite' }).click();
  await expect(picker.getByRole('status')).toHaveText('Saved “too long” and chose it for the next run.');
  await page.getByRole('button', { name: 'Start new run' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Item 3 of “reverse”' })).toContainText("beyond the model's context of 64.");
  await expect(page.getByTestId('run-status')).toHaveText('failed');
  await screenshot(page, 'regression-suite-too-long');

  // After the fact, on the Evaluate page: the completed run scored again on a suite (its base and its latest checkpoint).
  const runs = page.getByLabel('Current run');
  const completed = (await runs.locator('option').allTextContents()).find((t) => t.includes('completed'))!;
  await runs.selectOption({ label: completed });
  await openPage(page, 'Evaluate');
  const card = page.getByRole('region', { name: /Regression suite “keep reversing”/ });
  await expect(card.getByRole('row', { name: /reverse/ })).toHaveAttribute('data-verdict', 'regressed');
  const suiteField = page.getByLabel('Suite to score on this run');
  // The long suite refused on this base before anything is scored, the run's own results kept.
  await suiteField.selectOption({ label: 'too long' });
  await page.getByRole('button', { name: 'Score suite on this run' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Item 3 of “reverse”' })).toContainText("beyond the model's context of 64.");
  await expect(card.getByRole('row', { name: /reverse/ })).toHaveAttribute('data-verdict', 'regressed');
  // Its own suite scored again: the base's step-0 scores reused, the step-4 checkpoint scored anew, the same verdicts.
  await suiteField.selectOption({ label: 'keep reversing' });
  await page.getByRole('button', { name: 'Score suite on this run' }).click();
  await expect(page.getByRole('button', { name: 'Score suite on this run' })).toBeEnabled({ timeout: 60_000 });
  await expect(card.getByRole('row', { name: /reverse/ })).toHaveAttribute('data-verdict', 'regressed');
  await expect(card.getByRole('row', { name: /held-out text/ })).toHaveAttribute('data-verdict', 'regressed');
  await screenshot(page, 'regression-suite-evaluate-again');
});

test('a v3 database upgrades to v4: the regressionSuites store appears and stored records stay', async ({ page }) => {
  await page.goto('/favicon.svg');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('tunelab', 3);
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
  await openPage(page, 'Train');
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
  expect(after.version).toBeGreaterThanOrEqual(4);
  expect(after.stores).toContain('regressionSuites');
  expect(after.kept).toEqual({ kept: true });
});
