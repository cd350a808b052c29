// Tiny World end to end: pick the shipped base, generate a ROUTE dataset, LoRA fine-tune with skill probes, see every skill's curve.
import { test, expect } from './fixtures';
import { generateWorldDataset, openPage, screenshot, startRun, useBackendFromEnv } from './helpers';

useBackendFromEnv();

test('Tiny World base → ROUTE dataset → LoRA with skill probes → measured per-skill curves', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Models');
  await page.getByLabel(/Tiny World 800k \(pretrained/).check();
  await expect(page.getByTestId('current-model')).toContainText('Tiny World 800k');
  // The base's card: what it can do per skill (ROUTE is the skill it never saw).
  await expect(page.getByTestId('base-skills')).toContainText('ROUTE');

  await generateWorldDataset(page, 'ROUTE', 200);

  await openPage(page, 'Train');
  await expect(page.getByLabel('LoRA (adapter only)')).toBeChecked();
  // ~1–3 s/step for the 800k model on a software adapter: few steps, small batch, two items per skill.
  await startRun(page, { steps: 4, batchSize: 4, learningRate: '0.003', warmupSteps: 0, checkpointEvery: 2, validateEvery: 2, probeItems: 2 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 150_000 });

  const summaries = page.getByTestId('skill-summary');
  await expect(summaries.first()).toHaveAttribute('data-skill', 'ROUTE');
  const skills = await summaries.evaluateAll((nodes) => nodes.map((n) => ({ skill: n.getAttribute('data-skill'), values: n.getAttribute('data-values') })));
  expect(skills.length).toBe(9);
  for (const { skill, values } of skills) {
    const points = (values ?? '').split(',').map(Number);
    // Steps 0 (the base), 2 and 4.
    expect(points.length, `${skill}: ${values}`).toBe(3);
    for (const v of points) {
      expect(v, `${skill}: ${values}`).toBeGreaterThanOrEqual(0);
      expect(v, `${skill}: ${values}`).toBeLessThanOrEqual(1);
    }
  }
  // The base reverses strings perfectly on the card; two items are enough to see it is the pretrained base, not random weights.
  const rev = skills.find((s) => s.skill === 'REV')!;
  expect(Number(rev.values!.split(',')[0])).toBe(1);
  // Each chart drew its measured points.
  await expect(page.getByTestId('skill-charts').locator('figure').first().locator('svg circle')).toHaveCount(3);
  await screenshot(page, 'tiny-world-skills');

  // Evaluate: base vs few-shot base vs fine-tuned on the same items, with deltas.
  const started = Date.now();
  await openPage(page, 'Evaluate');
  await page.getByLabel('Items per skill').fill('2');
  await page.getByRole('button', { name: 'Evaluate skills' }).click();
  const table = page.getByTestId('skill-comparison');
  await expect(table).toBeVisible({ timeout: 90_000 });
  await expect(table.locator('tbody tr')).toHaveCount(9);
  await expect(table.locator('thead')).toContainText('few-shot base (2 shots)');
  await expect(table.locator('thead')).toContainText('fine-tuned (step 4)');
  // The base column agrees with the step-0 probe points measured during training (same items, same model).
  const revBase = await table.locator('tbody tr', { has: page.getByRole('rowheader', { name: 'REV', exact: true }) }).locator('td').first().textContent();
  expect(revBase).toMatch(/^100%/);
  console.log(`skill comparison took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await screenshot(page, 'tiny-world-evaluate');
});

test('a Tiny World dataset is distinct items: its distinct rows shown, and a size beyond a skill’s pool refused in words', async ({ page }) => {
  await page.goto('/');
  await generateWorldDataset(page, 'TICK', 300);
  await expect(page.getByTestId('dataset-distinct')).toHaveText('300');
  await expect(page.getByTestId('dataset-duplicates')).toHaveText('0');
  await expect(page.getByTestId('current-dataset')).toContainText('Tiny World TICK (300 rows, 300 distinct');
  // FACT is 60 memorised facts: 61 distinct rows do not exist, and nothing is stored.
  await page.getByLabel('Tiny World skill').selectOption('FACT');
  await page.getByLabel('Rows', { exact: true }).fill('61');
  await page.getByRole('button', { name: 'Generate Tiny World dataset' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('FACT has 60 distinct train items; 61 were asked for.');
  await expect(alert).toContainText('Ask for at most 60 FACT rows');
  await expect(page.getByTestId('current-dataset')).toContainText('Tiny World TICK (300 rows');
  await screenshot(page, 'tiny-world-distinct');
});
