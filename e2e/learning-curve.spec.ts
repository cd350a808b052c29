// "Your data": import a JSONL, run a 3-point learning curve with 1 seed on the tiny model, see the fitted curve and the reading.
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { generateWorldDataset, openPage, screenshot, useTinyModel } from './helpers';
import { generateEvalSet } from '../src/engine/world';

/** 200 distinct sums as a user's prompt/completion file (20% of it is held out by the Data page's split). */
const jsonl = Array.from({ length: 200 }, (_, i) => JSON.stringify({ prompt: `${i % 20}+${Math.floor(i / 20)}=`, completion: `${(i % 20) + Math.floor(i / 20)}.` })).join('\n') + '\n';

test('a learning curve on an imported JSONL: three shares, one seed, fitted curve and reading', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await useTinyModel(page);
  await openPage(page, 'Data');
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'sums.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(jsonl) });
  await expect(page.getByTestId('dataset-rows')).toHaveText('200');
  // The curve takes the Train page's settings: a few steps of 4 keep the three runs short.
  await openPage(page, 'Train');
  await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('3');
  await page.getByRole('spinbutton', { name: 'Batch size', exact: true }).fill('4');
  await page.getByRole('spinbutton', { name: 'Warmup steps', exact: true }).fill('0');
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByRole('button', { name: /^Your data: learning curve/ }).click();
  await expect(page.getByRole('combobox', { name: 'Dataset', exact: true })).toHaveValue(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId('curve-model')).toContainText('Nano GPT-2');

  // Bad input first: a share too small for the data, then exact match is fine (every row has a reference).
  const shares = page.getByLabel('Shares of the training split (comma-separated)');
  await shares.fill('0.001, 1');
  await expect(page.getByText(/these shares need at least \d+ distinct examples/)).toBeVisible();
  await expect(page.getByRole('button', { name: /fix the setup first/ })).toBeDisabled();

  await shares.fill('0.25, 0.5, 1');
  await page.getByLabel('Seeds (3 or more for an interval over seeds)').fill('1');
  await expect(page.getByTestId('curve-facts')).toContainText('and exact match');
  await expect(page.getByTestId('curve-estimate')).toBeVisible();
  await page.getByRole('button', { name: 'Run all 3' }).click();
  await expect(page.getByRole('button', { name: 'All 3 runs stored — showing results' })).toBeVisible({ timeout: 200_000 });
  await expect(page.getByTestId('reading-curve-loss')).toContainText(/(Doubling the data from \d+ examples|Flat: more of the same data will not help)/);
  await expect(page.getByTestId('fit-curve-loss')).toContainText('log-log linear');
  await expect(page.getByRole('img', { name: /Learning curve: validation loss/ })).toBeVisible();
  await expect(page.getByTestId('reading-curve-error')).toBeVisible();
  // The setup is in the link, the data by its content hash only.
  expect(new URL(page.url()).searchParams.get('data')).toMatch(/^[0-9a-f]{64}$/);
  await screenshot(page, 'experiments-learning-curve');

  // After a reload the stored runs come back from the link.
  await page.reload();
  await expect(page.getByRole('button', { name: 'All 3 runs stored — showing results' })).toBeVisible();
  await expect(page.getByTestId('reading-curve-loss')).toBeVisible();
});

test('a learning-curve cell downloads as a TRL scale-out bundle of exactly the subset it trained on', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  // The default Tiny World base: a real checkpoint the bundle can name (a seed-initialised model has none).
  await generateWorldDataset(page, 'ROUTE', 200);
  await openPage(page, 'Train');
  await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('2');
  await page.getByRole('spinbutton', { name: 'Batch size', exact: true }).fill('4');
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByRole('button', { name: /^Your data: learning curve/ }).click();
  await page.getByLabel('Shares of the training split (comma-separated)').fill('0.5, 1');
  await page.getByLabel('Seeds (3 or more for an interval over seeds)').fill('1');
  // A regression suite built on this panel (the Train page's picker, by keyboard): scored on the base and on each run.
  const picker = page.getByRole('region', { name: 'Regression suite', exact: true });
  await picker.getByText('Build a suite').focus();
  await page.keyboard.press('Enter');
  const rev = generateEvalSet('REV', 12, 4242).map((e) => JSON.stringify({ prompt: e.prompt, answer: e.completion.replace(/\n$/, ''), ability: 'reverse' }));
  await page.getByLabel('Suite file (JSONL)').setInputFiles({ name: 'keep.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(rev.join('\n') + '\n') });
  await page.getByLabel('Suite name').fill('keep reversing');
  await picker.getByRole('button', { name: 'Save suite' }).click();
  await expect(page.getByLabel('Suite for the next run').locator('option:checked')).toHaveText('keep reversing');
  await page.getByRole('button', { name: 'Run all 2' }).click();
  await expect(page.getByRole('button', { name: 'All 2 runs stored — showing results' })).toBeVisible({ timeout: 200_000 });
  // Each run's before/after on the suite, with its verdict, and the sweep-wide flag line.
  const suiteTable = page.getByRole('table', { name: 'Regression suite per run: base vs fine-tuned' });
  for (const run of ['50% · seed 1', '100% · seed 1']) {
    await expect(suiteTable.locator(`tr[data-run="${run}"]`)).toHaveAttribute('data-verdict', /^(regressed|improved|unchanged)$/);
  }
  await expect(suiteTable.getByRole('row', { name: /50% · seed 1 reverse \(12 items\)/ })).toBeVisible();
  await expect(page.getByTestId('curve-regression-flag')).toContainText(/(of 2 runs regressed beyond the interval|No ability regressed beyond its interval in any of the 2 runs)/);
  await screenshot(page, 'experiments-learning-curve-regression');
  // The picker and the per-run table, audited where they show.
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
  // Stored with each run: after a reload the chosen suite's curve shows its runs' results again (nothing retrains).
  await page.reload();
  await expect(page.getByRole('button', { name: 'All 2 runs stored — showing results' })).toBeVisible();
  await expect(suiteTable.locator('tr[data-run="100% · seed 1"]')).toHaveAttribute('data-verdict', /^(regressed|improved|unchanged)$/);
  const runsTable = page.getByRole('table', { name: /Every run is a stored fine-tune/ });
  const half = runsTable.getByRole('row').filter({ hasText: /^50%/ });
  const distinct = Number(await half.getByRole('cell').nth(1).textContent());
  const waiting = page.waitForEvent('download', { timeout: 120_000 });
  await half.getByRole('button', { name: 'TRL bundle' }).click();
  const file = await waiting;
  const path = test.info().outputPath(file.suggestedFilename());
  await file.saveAs(path);
  const files = unzipSync(new Uint8Array(readFileSync(path)));
  expect(Object.keys(files).sort()).toEqual(['README.md', 'dataset.jsonl', 'train_sft.py', 'trl_config.json']);
  const lines = new TextDecoder().decode(files['dataset.jsonl']).trim().split('\n');
  // Every row of the cell's distinct examples (copies of one example come with it, with their own cohort or tags).
  const examples = new Set(lines.map((l) => { const r = JSON.parse(l) as { prompt: string; completion: string }; return `${r.prompt}\u0000${r.completion}`; }));
  expect(examples.size).toBe(distinct);
  expect(lines.length).toBeGreaterThanOrEqual(distinct);
  const config = JSON.parse(new TextDecoder().decode(files['trl_config.json'])) as { training: { max_steps: number; seed: number } } & Record<string, unknown>;
  expect(JSON.stringify(config)).toContain('"max_steps":2');
  await screenshot(page, 'experiments-learning-curve-runs');
});

test('a data-quality sweep: a cohort swapped out, the paired difference and its reading', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await useTinyModel(page);
  await openPage(page, 'Data');
  // A quarter of the rows carry wrong answers and their own cohort: the slice a user would ask about.
  const rows = Array.from({ length: 200 }, (_, i) => {
    const [a, b] = [i % 20, Math.floor(i / 20)];
    return JSON.stringify(i % 4 === 0 ? { prompt: `${a}+${b}=`, completion: `${a + b + 7}.`, cohort: 'scraped' } : { prompt: `${a}+${b}=`, completion: `${a + b}.`, cohort: 'clean' });
  });
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'sums-cohorts.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(rows.join('\n') + '\n') });
  await expect(page.getByTestId('dataset-rows')).toHaveText('200');
  await openPage(page, 'Train');
  await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('3');
  await page.getByRole('spinbutton', { name: 'Batch size', exact: true }).fill('4');
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByRole('button', { name: /^Your data: learning curve/ }).click();
  await page.getByLabel('Question').selectOption('quality');
  await page.getByLabel('Slice to swap out').selectOption('cohort');
  await page.getByLabel('Cohort name').fill('nobody');
  await expect(page.getByText('No training row is in this slice')).toBeVisible();
  await page.getByLabel('Cohort name').fill('scraped');
  await page.getByLabel('Seeds (3 or more for an interval over seeds)').fill('1');
  await expect(page.getByTestId('slice-facts')).toContainText(/without it \(\d+ training rows\)/);
  await page.getByRole('button', { name: 'Run all 2' }).click();
  await expect(page.getByRole('button', { name: 'All 2 runs stored — showing results' })).toBeVisible({ timeout: 200_000 });
  await expect(page.getByTestId('reading-quality')).toContainText(/Cohort “scraped” \(\d+ training rows\)\. Without it, validation loss changed by/);
  await expect(page.getByTestId('reading-quality')).toContainText(/(helping|hurting|no effect resolved)/);
  expect(new URL(page.url()).searchParams.get('slice')).toBe('cohort:scraped');
  await screenshot(page, 'experiments-data-quality');
});
