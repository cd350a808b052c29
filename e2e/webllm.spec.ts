// web-llm's picker with its hosts unreachable: it lists web-llm's prebuilt models with sizes, asks before any download, fetches nothing before that, then fails with a clear message and no crash.
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import { generateWorldDataset, openPage, screenshot, startRun } from './helpers';
import type { Page } from './fixtures';

/** Every host web-llm downloads from: the Hub (weights, and the CDN hosts it redirects to) and GitHub's raw files (model libraries). */
const WEBLLM_HOSTS = /^https?:\/\/([^/]*\.)?(huggingface\.co|hf\.co|raw\.githubusercontent\.com)(:\d+)?\//;
const MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';

/** axe on the panel, open (the a11y spec audits the Models page with it closed). */
async function audit(page: Page, where: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include('[data-testid="webllm-panel"]').analyze();
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`), `axe on ${where}`).toEqual([]);
}

/** The panel alone, legible (the full page is long). */
async function panelShot(page: Page, name: string): Promise<void> {
  await page.getByRole('region', { name: 'Bigger model (web-llm)' }).screenshot({ path: `test-results/screenshots/${name}.png` });
}

test('web-llm: models listed with sizes, nothing fetched before the download is confirmed, no network → a clear message, no crash', async ({ page, context }) => {
  let confirmed = false;
  const early: string[] = [];
  const attempted: string[] = [];
  // Abort, rather than rely on this machine having no network: the same on a connected CI runner.
  await context.route(WEBLLM_HOSTS, (route) => route.abort('internetdisconnected'));
  context.on('request', (request) => {
    if (!WEBLLM_HOSTS.test(request.url())) return;
    (confirmed ? attempted : early).push(request.url());
  });

  await page.goto('/');
  await openPage(page, 'Models');
  await page.getByRole('button', { name: 'Show web-llm models' }).click();
  const table = page.getByRole('table', { name: 'web-llm models' });
  await expect(table).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('webllm-adapter')).toContainText('This adapter:');
  // web-llm's own list (165 records): the offered models with their estimated download and web-llm's memory estimate.
  const row = table.getByRole('row').filter({ hasText: MODEL });
  await expect(row).toContainText(/≈ \d[\d,]* MB/);
  // 360e6 weights × (4 + 32/32) bits / 8 = 214.6 MB; web-llm's record says 579.61 MB of GPU memory.
  await expect(row).toContainText('≈ 215 MB');
  await expect(row).toContainText('≈ 580 MB');
  await expect(page.getByTestId('webllm-hidden')).toContainText('embedding model');
  const offered = await table.getByRole('radio', { disabled: false }).count();
  await page.getByLabel(/Show models this adapter cannot run/).check();
  const all = await table.getByRole('radio').count();
  console.log(`web-llm models offered on this adapter: ${offered} of ${all} listed (${await page.getByTestId('webllm-adapter').textContent()})`);
  expect(all).toBe(161); // 165 prebuilt records less 4 embedding models
  expect(offered).toBeGreaterThan(0);
  // A model this adapter cannot run is listed, disabled, with the reason (lavapipe here has no shader-f16).
  if (/shader-f16 no/.test((await page.getByTestId('webllm-adapter').textContent()) ?? '')) {
    const f16 = table.getByRole('row').filter({ hasText: 'SmolLM2-360M-Instruct-q4f16_1-MLC' });
    await expect(f16).toContainText('needs the WebGPU feature shader-f16, which this adapter lacks');
    await expect(f16.getByRole('radio')).toBeDisabled();
  }
  await screenshot(page, 'webllm-picker');
  await panelShot(page, 'webllm-picker-panel');
  await audit(page, 'the web-llm picker');

  await page.getByLabel('Filter models').fill('SmolLM2-360M');
  await row.getByRole('radio').check();
  await page.getByRole('button', { name: `Download ${MODEL}…` }).click();
  const size = page.getByTestId('webllm-download-size');
  await expect(size).toContainText('About 215 MB will be downloaded');
  await expect(size).toContainText('from huggingface.co and raw.githubusercontent.com');
  await screenshot(page, 'webllm-confirm');
  await panelShot(page, 'webllm-confirm-panel');
  await audit(page, 'the download confirmation');
  // Listing, probing the adapter and asking the cache went nowhere near web-llm's hosts.
  expect(early).toEqual([]);

  // Keyboard: the confirmation takes the focus, Enter confirms.
  await expect(page.getByRole('button', { name: 'Download and load' })).toBeFocused();
  confirmed = true;
  await page.keyboard.press('Enter');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(/unreachable|offline/, { timeout: 120_000 });
  await expect(alert).toContainText(`${MODEL} could not be downloaded`);
  await expect(alert).toContainText('TuneLab itself keeps working');
  await screenshot(page, 'webllm-offline');
  await panelShot(page, 'webllm-offline-panel');
  expect(attempted.length).toBeGreaterThan(0);
  expect(attempted[0]).toMatch(/^https:\/\/huggingface\.co\/mlc-ai\/SmolLM2-360M-Instruct-q4f32_1-MLC\/resolve\/main\//);
  // The page's CSP governs web-llm's worker (started from a blob: URL, it inherits the policy): a host the policy does
  // not name is refused there, even on GitHub's raw host outside web-llm's library folder.
  // Each probe is answered (200) by the test if the browser lets it out: only the policy can refuse one.
  const probes = ['https://example.org/', 'https://raw.githubusercontent.com/someone/else/main/x.wasm', 'https://huggingface.co/mlc-ai/probe'];
  for (const url of probes) await context.route(url, (route) => route.fulfill({ status: 200, body: 'reached', headers: { 'access-control-allow-origin': '*' } }));
  let webllmWorker = null;
  for (const worker of page.workers()) if ((await worker.evaluate(() => self.name)) === 'tunelab-webllm') webllmWorker = worker;
  expect(webllmWorker, 'web-llm runs in its own worker').not.toBeNull();
  expect(webllmWorker!.url(), 'started from a blob: URL').toMatch(/^blob:/);
  const outcome = await webllmWorker!.evaluate(async (urls) => {
    const violations: string[] = [];
    self.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    const fetched = await Promise.all(urls.map((url) => fetch(url).then((r) => r.text(), () => 'refused')));
    await new Promise((r) => setTimeout(r, 100));
    return { fetched, violations };
  }, probes);
  expect(outcome.fetched).toEqual(['refused', 'refused', 'reached']);
  expect(outcome.violations.sort()).toEqual([`connect-src ${probes[0]}`, `connect-src ${probes[1]}`]);

  // No crash: the page still works, and the model can be picked again.
  await expect(page.getByRole('button', { name: `Download ${MODEL}…` })).toBeEnabled();
  await openPage(page, 'Data');
  await openPage(page, 'Models');
  await expect(page.getByRole('heading', { name: 'Bigger model (web-llm)' })).toBeVisible();
});

test('the capability ceiling on the Evaluate page of a Tiny World run asks for a web-llm model first, and leads to it', async ({ page }) => {
  await page.goto('/');
  await openPage(page, 'Models');
  await page.getByLabel(/Tiny World 800k \(pretrained/).check();
  await generateWorldDataset(page, 'ROUTE', 40);
  await openPage(page, 'Train');
  await startRun(page, { steps: 2, batchSize: 4, warmupSteps: 0, checkpointEvery: 2, validateEvery: 0, probeItems: 0 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 150_000 });
  await openPage(page, 'Evaluate');
  const card = page.getByRole('region', { name: 'Capability ceiling: a bigger model (web-llm)' });
  await expect(card).toContainText('Load a web-llm model under “Bigger model (web-llm)” on the Models page');
  await card.screenshot({ path: 'test-results/screenshots/webllm-ceiling-panel.png' });
  await card.getByRole('button', { name: 'Go to Models to load one' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Models' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Show web-llm models' })).toBeVisible();
});

test('the Distill panel offers a web-llm model as the teacher; with no network, loading it fails with a clear message, nothing to generate with, no crash', async ({ page, context }) => {
  await context.route(WEBLLM_HOSTS, (route) => route.abort('internetdisconnected'));
  await page.goto('/');
  await openPage(page, 'Data');
  // No run yet: a web-llm model can still be the teacher (it needs no run), and is picked where the panel stands.
  const form = page.getByRole('form', { name: 'Distillation' });
  const teacher = form.getByLabel('Teacher');
  await expect(teacher.locator('option:checked')).toHaveText('A bigger model through web-llm (pick and load one below)');
  await expect(page.getByTestId('distill-webllm-note')).toContainText('nothing is fetched before that');
  await form.getByLabel('Tiny World items of a skill').check();
  await expect(form.getByLabel('Solved examples first')).toHaveValue('2');
  await expect(form.getByRole('button', { name: 'Generate answers' })).toBeDisabled();
  await page.getByRole('button', { name: 'Show web-llm models' }).click();
  const table = page.getByRole('table', { name: 'web-llm models' });
  await expect(table).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Filter models').fill('SmolLM2-360M');
  await table.getByRole('row').filter({ hasText: MODEL }).getByRole('radio').check();
  await page.getByRole('button', { name: `Download ${MODEL}…` }).click();
  await page.getByRole('button', { name: 'Download and load' }).click();
  const alert = page.getByRole('region', { name: 'Bigger model (web-llm)' }).getByRole('alert');
  await expect(alert).toContainText(`${MODEL} could not be downloaded`, { timeout: 120_000 });
  await expect(alert).toContainText('Connect to the internet and load it again');
  // Still no teacher: nothing to generate with, and the page still works.
  await expect(form.getByRole('button', { name: 'Generate answers' })).toBeDisabled();
  await expect(teacher.locator('option:checked')).toHaveText('A bigger model through web-llm (pick and load one below)');
  await screenshot(page, 'distill-webllm-offline');
  await page.getByRole('region', { name: 'Distill from a teacher' }).screenshot({ path: 'test-results/screenshots/distill-webllm-offline-panel.png' });
  await page.getByRole('region', { name: 'Bigger model (web-llm)' }).screenshot({ path: 'test-results/screenshots/distill-webllm-offline-picker.png' });
  const { violations } = await new AxeBuilder({ page }).include('[data-testid="webllm-panel"]').analyze();
  expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});
