// A whole visit — import, train, generate — in which every request of the page and its workers stays on our origin;
// along the way: the loss chart shows measured points and falls, and the page stays responsive while training.
import { test, expect } from './fixtures';
import { cancelRun, createExampleDataset, expectedBackend, openPage, screenshot, startTinyRun, UNFINISHABLE_STEPS, useBackendFromEnv } from './helpers';

useBackendFromEnv();

test('import, train 20 steps, generate: curves fall, page responsive, no request leaves the origin', async ({ page, context, baseURL }) => {
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('worker', (worker) => requests.push(worker.url()));

  await page.goto('/');
  await expect(page.getByTestId('backend-status')).toContainText(expectedBackend(), { timeout: 60_000 });
  await screenshot(page, 'models');
  await openPage(page, 'Data');
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({
    name: 'two.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from('{"prompt":"ab>","completion":"ba."}\n{"text":"hello"}\n'),
  });
  await expect(page.getByTestId('dataset-rows')).toHaveText('2');
  await createExampleDataset(page);
  await screenshot(page, 'data');

  // Responsiveness: while the worker trains, the main thread's event loop stays free and typing shows at once.
  // Measured on a run that cannot finish meanwhile (however fast the adapter), then cancelled.
  await startTinyRun(page, { steps: UNFINISHABLE_STEPS, checkpointEvery: 1000 });
  await expect(page.getByTestId('run-status')).toHaveText('running');
  const prompt = page.getByLabel('Prompt');
  // Input delay as the page sees it: from the key event's creation to its handler on the main thread.
  await prompt.evaluate((input) => {
    const delays: number[] = [];
    (window as unknown as { inputDelays: number[] }).inputDelays = delays;
    input.addEventListener('input', (event) => delays.push(performance.now() - event.timeStamp));
  });
  await prompt.pressSequentially('abcd>', { delay: 50 });
  await expect(prompt).toHaveValue('abcd>');
  const inputDelays = await page.evaluate(() => (window as unknown as { inputDelays: number[] }).inputDelays);
  const lagsMs = await page.evaluate(async () => {
    const lags: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      await new Promise((r) => setTimeout(r, 50));
      lags.push(performance.now() - t - 50);
    }
    return lags.sort((a, b) => a - b);
  });
  console.log(`while training: input delays ${inputDelays.map((d) => d.toFixed(0)).join(', ')} ms; event-loop lag median ${lagsMs[20].toFixed(0)}, worst ${lagsMs[39].toFixed(0)} ms`);
  // Generous bounds for a 2-core machine shared with a software GPU; a main thread busy with training steps fails them.
  expect(inputDelays).toHaveLength(5);
  expect(Math.max(...inputDelays)).toBeLessThan(500);
  expect(lagsMs[20]).toBeLessThan(100);
  expect(lagsMs[39]).toBeLessThan(2_000);
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await cancelRun(page);

  await startTinyRun(page, { steps: 20, checkpointEvery: 5 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  const summary = (await page.getByTestId('loss-summary').textContent()) ?? '';
  const match = summary.match(/(\d+) measured points\s*· first ([\d.]+) · latest ([\d.]+)/);
  expect(match, summary).not.toBeNull();
  const [, points, first, latest] = match!;
  expect(Number(points)).toBe(20);
  expect(Number(latest)).toBeLessThan(Number(first));
  const lossChart = page.getByRole('figure', { name: 'Loss' });
  expect(await lossChart.locator('svg circle, svg path[d]').count()).toBeGreaterThanOrEqual(20);
  await screenshot(page, 'train');

  await page.getByLabel('Max tokens').fill('8');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('heading', { name: 'Fine-tuned (step 20)' })).toBeVisible({ timeout: 60_000 });
  await screenshot(page, 'generate');

  await openPage(page, 'Evaluate');
  await page.getByRole('button', { name: 'Evaluate base vs fine-tuned' }).click();
  await expect(page.getByRole('table', { name: 'Evaluation results' })).toContainText('Fine-tuned (step 20)', { timeout: 60_000 });
  await screenshot(page, 'evaluate');
  await openPage(page, 'Storage');
  await expect(page.getByRole('table', { name: 'Stored items' })).toContainText('checkpoint step 20');
  await screenshot(page, 'storage');

  const origin = new URL(baseURL!).origin;
  const foreign = requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
  expect(requests.length).toBeGreaterThan(3);
  expect(foreign).toEqual([]);
});
