// Distillation end to end: a run as the engine teacher answers a few prompts → review → save as a dataset whose lineage names the producer; a cancel keeps a draft.
import { test, expect } from './fixtures';
import { createExampleDataset, openPage, screenshot, startTinyRun, useBackendFromEnv, useTinyModel } from './helpers';

useBackendFromEnv();

test('engine teacher → review → save with lineage; a cancelled generation stays a draft', async ({ page }) => {
  await page.goto('/');
  await useTinyModel(page);
  await createExampleDataset(page);
  await startTinyRun(page, { steps: 6, checkpointEvery: 6 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });

  await openPage(page, 'Data');
  const form = page.getByRole('form', { name: 'Distillation' });
  await expect(form.getByLabel('Teacher')).toContainText(/fine-tuned \(step 6\)/);
  await form.getByLabel('Split').selectOption('test');
  await form.getByLabel('Prompts (at most)').fill('5');
  await form.getByLabel('Max new tokens').fill('12');
  await form.getByRole('button', { name: 'Generate answers' }).click();

  const answers = page.getByRole('table', { name: 'Teacher answers' });
  await expect(answers.locator('tbody tr')).toHaveCount(5, { timeout: 60_000 });
  // The example dataset has reference answers: each row shows the ground truth and an exact-match verdict.
  await expect(page.getByTestId('distill-summary')).toContainText(/5 answers .* teacher exact match \d of 5/);
  for (const row of await answers.locator('tbody tr').all()) await expect(row.locator('td').nth(4)).toHaveText(/^(yes|no)$/);
  await screenshot(page, 'distill-review');

  // Leave one row out, then save: the new dataset holds the 4 kept rows and names its producer.
  await page.getByRole('checkbox', { name: /^Keep row/ }).first().uncheck();
  await page.getByRole('button', { name: 'Save 4 rows as a dataset' }).click();
  await expect(page.getByTestId('distill-saved')).toBeVisible();
  await expect(page.getByTestId('dataset-rows')).toHaveText('4');
  const producers = page.getByTestId('dataset-producers');
  await expect(producers).toContainText('Nano GPT-2');
  await expect(producers).toContainText(/fine-tuned by run \w+ at step 6\s+· greedy, at most 12 tokens, seed 7 .*· 4 rows/);
  // It is on the Data page's list of datasets, and the current one.
  const picker = page.getByLabel('Current dataset');
  await expect(picker.locator('option:checked')).toHaveText(/^Distilled from Nano GPT-2 .*, fine-tuned · test prompts of Example: reverse a word .* · 4 rows$/);
  await screenshot(page, 'distill-saved-lineage');

  // A student fine-tuned on the saved answers (the current dataset), then compared with its teacher on the example's test prompts.
  await startTinyRun(page, { steps: 4, checkpointEvery: 4 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  await openPage(page, 'Data');

  // A long generation (every prompt of the original dataset) cancelled part-way keeps what it made as a draft, unsaved.
  const example = (await picker.locator('option', { hasText: /^Example: reverse a word/ }).getAttribute('value'))!;
  await picker.selectOption(example);
  const teacherOption = form.getByLabel('Teacher').locator('option', { hasText: /Example: reverse a word.*fine-tuned \(step 6\)/ });
  await form.getByLabel('Teacher').selectOption((await teacherOption.getAttribute('value'))!);
  const student = page.getByRole('combobox', { name: /^Student/ });
  await student.selectOption({ label: (await student.locator('option', { hasText: 'Distilled from' }).textContent())! });
  await page.getByRole('button', { name: 'Compare with the teacher' }).click();
  const compared = page.getByRole('table', { name: 'Student, teacher and ground truth' });
  await expect(compared.locator('tbody tr')).toHaveCount(5, { timeout: 60_000 });
  await expect(page.getByTestId('teacher-em')).toHaveText(/^\d of 5 \(\d+%\)$/);
  await expect(page.getByTestId('student-em')).toHaveText(/^\d of 5 \(\d+%\)$/);
  await expect(page.getByTestId('repeats')).toHaveText(/^\d of \d \((\d+%|—); by chance ≈ \d+\.\d\)$/);
  await screenshot(page, 'distill-compare');
  // Long run names in the pickers never widen the page.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await form.getByLabel('Split').selectOption('all');
  await form.getByLabel('Prompts (at most)').fill('400');
  await form.getByLabel('Max new tokens').fill('24');
  await form.getByRole('button', { name: 'Generate answers' }).click();
  const progress = page.getByRole('status', { name: 'Generation progress' });
  await expect(progress).toContainText(/[1-9]\d* of \d+ prompts/, { timeout: 60_000 });
  await form.getByRole('button', { name: 'Cancel' }).click();
  const draft = page.getByTestId('distill-draft');
  await expect(draft).toContainText(/cancelled after \d+ of \d+ prompts/);
  const [done, total] = ((await draft.textContent()) ?? '').match(/after (\d+) of (\d+)/)!.slice(1).map(Number);
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(total);
  await expect(page.getByRole('button', { name: `Save draft (${done} rows) as a dataset` })).toBeVisible();
  await screenshot(page, 'distill-draft');

  // The draft is stored, not in page memory only: listed, still there after a reload, deleted only on request.
  const drafts = page.getByTestId('distill-drafts');
  await expect(drafts.getByRole('listitem')).toHaveCount(1);
  await expect(drafts).toContainText(`${done} of ${total} prompts answered, cancelled`);
  await page.reload();
  await openPage(page, 'Data');
  await expect(drafts.getByRole('listitem')).toHaveCount(1);
  await drafts.getByRole('button', { name: /^Review draft/ }).click();
  await expect(page.getByTestId('distill-draft')).toContainText(`cancelled after ${done} of ${total} prompts`);
  await page.getByRole('region', { name: 'Distill from a teacher' }).screenshot({ path: 'test-results/screenshots/distill-draft-stored-panel.png' });
  // Resume asks only the missing prompts (the count starts where the draft stopped); cancelled again, the same draft grows.
  await drafts.getByRole('button', { name: new RegExp(`^Resume draft: .*, ${done} of ${total}$`) }).click();
  await expect.poll(async () => Number((((await progress.textContent().catch(() => '')) ?? '').match(/(\d+) of \d+ prompts/) ?? [])[1] ?? 0), { timeout: 60_000 }).toBeGreaterThan(done);
  await form.getByRole('button', { name: 'Cancel' }).click();
  // The resumed draft stays on screen while it runs: read it once the generation has stopped.
  await expect(progress).toHaveCount(0);
  await expect(draft).toContainText(/cancelled after \d+ of \d+ prompts/);
  const grown = Number((((await draft.textContent()) ?? '').match(/after (\d+) of/) ?? [])[1]);
  expect(grown).toBeGreaterThan(done);
  await expect(drafts.getByRole('listitem')).toHaveCount(1);
  await expect(drafts).toContainText(`${grown} of ${total} prompts answered, cancelled`);
  await drafts.getByRole('button', { name: /^Delete draft/ }).click();
  await expect(drafts).toHaveCount(0);
  await expect(page.getByTestId('distill-draft')).toHaveCount(0);
});
