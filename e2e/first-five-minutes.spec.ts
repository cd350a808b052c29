// A newcomer's first five minutes: Tiny World 800k is the default, every choice survives a reload, the first screen's
// call to action ends on a cliff chart, and a fine-tune that destroys skills says so with the mitigations.
import { test, expect } from './fixtures';
import { openPage, screenshot, startRun } from './helpers';

test('a fresh page starts on Tiny World 800k; the model, the skill picker and the train settings survive a reload', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('current-model')).toHaveText(/^Tiny World 800k/);
  await expect(page.getByRole('radio', { name: /^Tiny World 800k/ })).toBeChecked();
  await screenshot(page, 'first-screen');

  await page.getByRole('radio', { name: /^Tiny World 400k/ }).check();
  await page.getByLabel('Repository').fill('openai-community/gpt2');
  await openPage(page, 'Data');
  const form = page.getByRole('form', { name: 'Tiny World dataset' });
  // The skill the bases never saw is offered first: the fine-tune that shows learning and forgetting.
  await expect(form.getByLabel('Tiny World skill')).toHaveValue('ROUTE');
  await form.getByLabel('Tiny World skill').selectOption('FACT');
  await form.getByLabel('Rows').fill('30');
  await form.getByRole('button', { name: 'Generate Tiny World dataset' }).click();
  await expect(page.getByTestId('dataset-rows')).toHaveText('30');
  await openPage(page, 'Train');
  await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('77');
  await page.getByLabel('Full fine-tuning').check();
  await page.getByLabel('Learning rate').fill('0.0007');

  await page.reload();
  await expect(page.getByTestId('current-model')).toHaveText(/^Tiny World 400k/);
  await expect(page.getByRole('heading', { level: 2, name: 'Train' })).toBeVisible();
  await expect(page.locator('.lead strong').first()).toHaveText(/^Tiny World 400k/);
  await expect(page.getByRole('spinbutton', { name: 'Steps', exact: true })).toHaveValue('77');
  await expect(page.getByLabel('Full fine-tuning')).toBeChecked();
  await expect(page.getByLabel('Learning rate')).toHaveValue('0.0007');
  await expect(page.getByTestId('current-dataset')).toContainText('Tiny World FACT (30 rows');
  await openPage(page, 'Data');
  await expect(form.getByLabel('Tiny World skill')).toHaveValue('FACT');
  await expect(form.getByLabel('Rows')).toHaveValue('30');
  await openPage(page, 'Models');
  await expect(page.getByRole('radio', { name: /^Tiny World 400k/ })).toBeChecked();
  await expect(page.getByLabel('Repository')).toHaveValue('openai-community/gpt2');

  // A seeded model is remembered too.
  await page.getByRole('radio', { name: /^Micro GPT-2/ }).check();
  await page.reload();
  await expect(page.getByTestId('current-model')).toHaveText(/^Micro GPT-2/);
});

test('each page with nothing to show says what it shows and how to read it', async ({ page }) => {
  await page.goto('/');
  for (const [tab, heading] of [['Data', 'No dataset yet'], ['Train', 'Choose data first'], ['Evaluate', 'No run to evaluate'], ['Storage', 'Nothing stored yet']] as const) {
    await openPage(page, tab);
    const empty = page.getByRole('region', { name: heading });
    await expect(empty).toBeVisible();
    // Two sentences: what the page shows, and how to read it (or what to do first).
    const text = (await empty.locator('p').textContent())!.replace(/\s+/g, ' ').trim();
    expect(text.split(/(?<=\.) /).length, text).toBe(2);
  }
});

test('the first screen: "Show me the cliff" is timed on this device as it runs and ends on the cliff chart; so does the quick check', async ({ page }) => {
  test.setTimeout(420_000);
  await page.goto('/');
  const card = page.getByRole('region', { name: 'See the generalization cliff in one click' });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('first-look-estimate')).toContainText('timed from its first steps');

  // The real demo on the default base (Tiny World 800k): the time left comes from steps measured here, and says so.
  const started = Date.now();
  await card.getByRole('button', { name: 'Show me the cliff' }).click();
  await expect(card.getByTestId('first-look-progress')).toBeVisible();
  const estimate = card.getByTestId('first-look-estimate');
  await expect(estimate).toContainText(/(About|Between) .+ left — an estimate from what was timed so far on this device:\s+\d+ training steps\s+\(\d+\.\d s each\)/, { timeout: 180_000 });
  const first = { text: (await estimate.textContent())!.replace(/\s+/g, ' ').trim(), at: (Date.now() - started) / 1000 };
  await screenshot(page, 'first-look-running');
  // After the first skill measurement between steps, one number from the measured step and measurement times.
  await expect(estimate).toContainText(/About .+ left — an estimate from what was timed so far on this device:\s+\d+ training steps\s+\(\d+\.\d s each\) and the skill measurements between them \(\d+\.\d s each\)/, { timeout: 240_000 });
  const second = { text: (await estimate.textContent())!.replace(/\s+/g, ' ').trim(), at: (Date.now() - started) / 1000 };
  // It ends on the Experiments page's chart of every probe over the training steps.
  await expect(page.getByRole('tab', { name: /Experiments/ })).toHaveAttribute('aria-selected', 'true', { timeout: 360_000 });
  console.log(`first look: "${first.text}" at ${first.at.toFixed(0)} s; "${second.text}" at ${second.at.toFixed(0)} s; chart after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const chart = page.getByRole('figure', { name: /Generalization cliff: every probe over training steps/ });
  await expect(chart.locator('svg circle').first()).toBeVisible();
  const reading = page.getByTestId('reading-curves');
  await expect(reading).toContainText(/exact match on ROUTE went from 0\.00 .*\(a rise, paired difference/);
  console.log(`first look reading: ${await reading.textContent()}`);
  expect(page.url()).toContain('preset=cliff');
  expect(page.url()).toContain('base=tiny-world-800k');
  await screenshot(page, 'first-look-chart');
  // What the newcomer sees: the chart scrolled into view, not the setup form.
  await expect(chart).toBeInViewport();
  await page.screenshot({ path: 'test-results/screenshots/first-look-chart-viewport.png' });

  // Back on the first screen it remembers how long it took here; the quick check (tiny untrained base) ends on its chart too.
  await openPage(page, 'Models');
  await expect(card.getByTestId('first-look-estimate')).toContainText(/It took .+ on this device last time \(measured\)/);
  await card.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('tab', { name: /Experiments/ })).toHaveAttribute('aria-selected', 'true', { timeout: 120_000 });
  await expect(page.getByRole('figure', { name: /Generalization cliff: every probe over training steps/ }).locator('svg circle').first()).toBeVisible();
  expect(page.url()).toContain('base=seed%3Atiny');
});

/** Wilson 95% interval of a share measured on n items (what the app compares for probe points). */
function wilson(share: number, n: number): [number, number] {
  const z = 1.959964;
  const z2n = (z * z) / n;
  const centre = (share + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((share * (1 - share)) / n + z2n / (4 * n))) / (1 + z2n);
  return [centre - half, centre + half];
}

test('a fine-tune that destroys skills the base had says so, with the mitigations and a link to the cliff preset', async ({ page }) => {
  test.setTimeout(480_000);
  await page.goto('/');
  // No model chosen: the default base is the one with skills to lose.
  await openPage(page, 'Data');
  await page.getByLabel('Rows', { exact: true }).fill('200');
  await page.getByRole('button', { name: 'Generate Tiny World dataset' }).click();
  await expect(page.getByTestId('current-dataset')).toContainText('Tiny World ROUTE (200 rows');
  await openPage(page, 'Train');
  // Full fine-tuning at a high learning rate: a few steps are enough to overwrite what the small base knew.
  await page.getByLabel('Full fine-tuning').check();
  await startRun(page, { steps: 6, learningRate: '0.003', warmupSteps: 0, checkpointEvery: 6, validateEvery: 6, probeItems: 10 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 240_000 });

  // Which skills fell beyond both intervals, computed here from the plotted probe points.
  const skills = await page.getByTestId('skill-summary').evaluateAll((nodes) => nodes.map((n) => ({ skill: n.getAttribute('data-skill')!, values: n.getAttribute('data-values')!.split(',').map(Number) })));
  const lost = skills.filter(({ values }) => wilson(values.at(-1)!, 10)[1] < wilson(values[0], 10)[0]).map((s) => s.skill);
  console.log(`probe points: ${JSON.stringify(skills)}; lost beyond the intervals: ${lost.join(', ')}`);
  expect(lost.length).toBeGreaterThan(0);
  expect(lost).not.toContain('ROUTE');
  const note = page.getByTestId('cliff-note');
  await expect(note).toBeVisible();
  for (const skill of skills.map((s) => s.skill)) {
    if (lost.includes(skill)) await expect(note).toContainText(new RegExp(`\\b${skill} \\d+% → \\d+%`));
    else await expect(note).not.toContainText(new RegExp(`\\b${skill} \\d+% →`));
  }
  await expect(note).toContainText('lower the learning rate, train fewer steps, or mix examples of the old skills into the data (replay)');
  await note.scrollIntoViewIfNeeded();
  await screenshot(page, 'cliff-note-train');

  // The Evaluate page reads its own measurement (held-out items, bootstrap intervals) the same way.
  await openPage(page, 'Evaluate');
  // 10 items per skill × 9 skills × (base, few-shot base, fine-tuned): a minute or two on a loaded software adapter.
  await page.getByLabel('Items per skill').fill('10');
  await page.getByRole('button', { name: 'Evaluate skills' }).click();
  const table = page.getByTestId('skill-comparison');
  await expect(table).toBeVisible({ timeout: 240_000 });
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({ skill: tr.querySelector('th')!.textContent!.trim(), cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()) })),
  );
  const interval = (cell: string) => cell.match(/\[(\d+)%, (\d+)%\]/)!.slice(1).map(Number);
  const evalLost = rows.filter((r) => interval(r.cells.at(-1)!)[1] < interval(r.cells[0])[0]).map((r) => r.skill);
  console.log(`evaluate: lost beyond the intervals: ${evalLost.join(', ')}`);
  const evalNote = page.getByTestId('cliff-note');
  if (evalLost.length) {
    for (const skill of evalLost) await expect(evalNote).toContainText(new RegExp(`\\b${skill} \\d+% → \\d+%`));
    await evalNote.scrollIntoViewIfNeeded();
    await screenshot(page, 'cliff-note-evaluate');
    await evalNote.getByRole('link', { name: /Generalization cliff preset/ }).click();
    await expect(page.getByRole('tab', { name: /Experiments/ })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('button', { name: /Generalization cliff/ })).toHaveAttribute('aria-pressed', 'true');
  } else if (rows.every((r) => interval(r.cells.at(-1)!)[1] > interval(r.cells[0])[0])) {
    // Every interval overlaps even after rounding: nothing was destroyed beyond the noise, so no note.
    await expect(evalNote).toHaveCount(0);
  }
});
