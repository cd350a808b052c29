// Pretraining in the browser: a tiny Tiny World model from a seed (Models page), live loss and per-skill curves, then the
// new base model is picked, fine-tuned with skill probes, evaluated and deleted on the Storage page; a reload mid-run resumes.
import { test, expect, type Page } from './fixtures';
import { generateWorldDataset, openPage, screenshot, startRun, UNFINISHABLE_STEPS, useBackendFromEnv } from './helpers';

useBackendFromEnv();

const PRETRAIN_SKILLS = ['ADD', 'REV', 'SORT', 'UP', 'FACT', 'TICK', 'REVUP', 'FACTADD'];

/** The smallest preset (2 layers, d 32): a handful of steps, small batches, one probe item per skill. */
async function fillTinyRecipe(page: Page, steps: number, measureEvery: number): Promise<void> {
  const card = page.getByRole('region', { name: 'Pretrain a Tiny World model' });
  await card.getByRole('radio', { name: /^30k — 2 layers, d 32/ }).check({ timeout: 10_000 });
  await card.getByLabel('Seed (weights and data)').fill('3');
  await card.getByRole('spinbutton', { name: 'Steps', exact: true }).fill(String(steps));
  await card.getByLabel(/^Batch/).fill('4');
  await card.getByLabel('Learning rate (peak)').fill('0.01');
  await card.getByLabel('Warmup steps').fill('0');
  await card.getByLabel('Measure skills every (steps)').fill(String(measureEvery));
  await card.getByLabel('Items per skill when measuring').fill('1');
}

test('pretrain a tiny model from the UI → live loss and per-skill curves → pick it, fine-tune it, evaluate it, delete it', async ({ page }) => {
  // Five short jobs (speed check, pretraining, fine-tuning) on a shared software adapter.
  test.setTimeout(420_000);
  await page.goto('/');
  await openPage(page, 'Models');
  const card = page.getByRole('region', { name: 'Pretrain a Tiny World model' });
  await fillTinyRecipe(page, 4, 2);
  await expect(card.getByTestId('pretrain-time-estimate')).toHaveText(/not measured/);
  await card.getByRole('button', { name: 'Measure speed (3 steps)' }).click();
  await expect(card.getByTestId('pretrain-time-estimate')).toHaveText(/^≈ .* from a measurement of 3 steps on this machine/, { timeout: 90_000 });
  console.log(`estimate: ${await card.getByTestId('pretrain-time-estimate').textContent()}`);

  await card.getByRole('button', { name: 'Start pretraining' }).click();
  await expect(card.getByTestId('run-status')).toHaveText('completed', { timeout: 150_000 });
  await expect(card.getByTestId('run-step')).toHaveText('4 / 4');

  // The loss curve: one measured point per step, drawn.
  await expect(card.getByTestId('loss-summary')).toContainText('4 measured points');
  // (Plot draws the loss dots as symbols, one element each in its "dot" mark group.)
  await expect(card.getByRole('figure', { name: 'Loss' }).locator('svg g[aria-label="dot"] > *')).toHaveCount(4);
  // One exact-match curve per pretraining skill (no ROUTE), measured at steps 0, 2 and 4, each drawn.
  const summaries = card.getByTestId('skill-summary');
  const skills = await summaries.evaluateAll((nodes) => nodes.map((n) => ({ skill: n.getAttribute('data-skill')!, values: n.getAttribute('data-values')! })));
  expect(skills.map((s) => s.skill).sort()).toEqual([...PRETRAIN_SKILLS].sort());
  for (const { skill, values } of skills) {
    const points = values.split(',').map(Number);
    expect(points.length, `${skill}: ${values}`).toBe(3);
    for (const v of points) expect(v >= 0 && v <= 1, `${skill}: ${values}`).toBe(true);
  }
  await expect(card.getByTestId('skill-charts').locator('figure')).toHaveCount(8);
  await expect(card.getByTestId('skill-charts').locator('figure').first().locator('svg circle')).toHaveCount(3);
  await expect(card.getByTestId('pretrain-saved')).toContainText('30k from seed 3 · 4 steps (pretrained here)');
  await screenshot(page, 'pretrain-curves');

  // The new base model is in the model list, with its recipe and its skill card.
  const choice = page.getByRole('radio', { name: /30k from seed 3 · 4 steps \(pretrained here\)/ });
  await expect(choice).toBeVisible();
  await expect(page.getByText(/seed 3, 4 steps, [\d,]+ tokens/)).toBeVisible();
  await choice.check();
  await expect(page.getByTestId('current-model')).toHaveText('30k from seed 3 · 4 steps (pretrained here)');
  await expect(page.getByTestId('base-skills')).toContainText('FACTADD');
  await screenshot(page, 'pretrain-model-list');

  // Fine-tune it: a ROUTE dataset, 2 LoRA steps with skill probes (its own tokenizer and weights come from IndexedDB).
  await generateWorldDataset(page, 'ROUTE', 40);
  await openPage(page, 'Train');
  await startRun(page, { steps: 2, batchSize: 4, warmupSteps: 0, checkpointEvery: 2, validateEvery: 2, probeItems: 1 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  // Fine-tuning measures every skill, ROUTE (the target) first.
  await expect(page.getByTestId('skill-summary').first()).toHaveAttribute('data-skill', 'ROUTE');
  await expect(page.getByTestId('skill-summary')).toHaveCount(9);
  // Evaluate it: base vs few-shot base vs fine-tuned, every skill.
  await openPage(page, 'Evaluate');
  await page.getByLabel('Items per skill').fill('2');
  await page.getByRole('button', { name: 'Evaluate skills' }).click();
  const table = page.getByTestId('skill-comparison');
  await expect(table).toBeVisible({ timeout: 120_000 });
  await expect(table.locator('tbody tr')).toHaveCount(9);
  await expect(table.locator('thead')).toContainText('fine-tuned (step 2)');

  // Delete it on the Storage page: one row for the whole model; it leaves the model list.
  await openPage(page, 'Storage');
  const remove = page.getByRole('button', { name: /Delete models base model “30k from seed 3 · 4 steps \(pretrained here\)”/ });
  await expect(remove).toBeVisible();
  await remove.click();
  await expect(remove).toHaveCount(0);
  // The run fine-tuned on it is now an orphan: its base is gone for good.
  const orphan = page.getByTestId('orphan');
  await expect(orphan).toContainText('Orphaned run: base model missing');
  await expect(orphan).toContainText('Its base model “30k from seed 3 · 4 steps (pretrained here)”, pretrained in this browser, was deleted.');
  await screenshot(page, 'storage-orphan-base');
  await openPage(page, 'Models');
  await expect(page.getByRole('radio', { name: /pretrained here/ })).toHaveCount(0);
});

test('a reload during pretraining leaves a resumable run that continues from its checkpoint', async ({ page }) => {
  test.setTimeout(420_000);
  await page.goto('/');
  await openPage(page, 'Models');
  const card = page.getByRole('region', { name: 'Pretrain a Tiny World model' });
  const lastCheckpoint = async () => Number(await card.getByTestId('run-last-checkpoint').textContent());
  // A run far too long to finish during the test, so the reload lands mid-run however fast training is.
  await fillTinyRecipe(page, UNFINISHABLE_STEPS, 3);
  await card.getByRole('button', { name: 'Start pretraining' }).click();
  // Wait for a checkpoint (with the skill measurement, every 3 steps here), then reload mid-run.
  await expect(card.getByTestId('run-last-checkpoint')).toHaveText(/^\d+$/, { timeout: 180_000 });
  await page.reload();
  await openPage(page, 'Models');
  await expect(card.getByTestId('run-status')).toHaveText('interrupted');
  const checkpoint = await lastCheckpoint();
  expect(checkpoint % 3).toBe(0);
  expect(checkpoint).toBeGreaterThanOrEqual(3);
  // What is stored stops at the checkpoint: the steps trained after it were not kept.
  await expect(card.getByTestId('loss-summary')).toContainText(`${checkpoint} measured points`);
  await card.getByRole('button', { name: 'Resume' }).click();
  await expect(card.getByTestId('run-status')).toHaveText('running');
  // A checkpoint after the one it resumed from, then stop.
  await expect.poll(lastCheckpoint, { timeout: 240_000 }).toBeGreaterThan(checkpoint);
  await card.getByRole('button', { name: 'Cancel' }).click();
  await expect(card.getByTestId('run-status')).toHaveText('cancelled');
  // One loss point per step and one skill point per measurement (0, 3, 6, …): the steps after the checkpoint were
  // measured again, not twice.
  const reached = Number((await card.getByTestId('run-step').textContent())!.split('/')[0]);
  expect(reached).toBeGreaterThan(checkpoint);
  await expect(card.getByTestId('loss-summary')).toContainText(`${reached} measured points`);
  const skillPoints = (await card.getByTestId('skill-summary').first().getAttribute('data-values'))!.split(',');
  expect(skillPoints).toHaveLength(Math.floor(reached / 3) + 1);
});
