// Loads Hub-layout fixtures in the browser through the real GPU worker job: progress, cache hit, resumed download.
import { expect, test, type Page } from './fixtures';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startHubServer, type HubServer } from './hub-server';
import type { LoadModelProgress, LoadModelSummary } from '../src/contract';

type Harness = {
  init(): Promise<{ name: string }>;
  load(repo: string): Promise<LoadModelSummary>;
  importAdapter(folder: string): Promise<Record<string, unknown>>;
  nextToken(text: string): Promise<{ id: number; token: string }>;
  cached(): Promise<{ repo: string; bytes: number; files: unknown[] }[]>;
  progress: LoadModelProgress[];
};

const fixture = (repo: string, file: string) => readFileSync(resolve(import.meta.dirname, '../src/engine/hub/fixtures', repo, file));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let server: HubServer;
test.beforeAll(async () => {
  server = await startHubServer();
});
test.afterAll(async () => {
  await server.close();
});

async function openHarness(page: Page) {
  await page.goto(`${server.origin}/src/diagnostics/e2e-harness/hub-load.html`);
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  return page.evaluate(() => (window as unknown as { hubHarness: Harness }).hubHarness.init());
}

const load = (page: Page, repo: string) => page.evaluate((r) => (window as unknown as { hubHarness: Harness }).hubHarness.load(r), repo);

test('loads a checkpoint from a Hub-layout server with progress, then from the cache with no request', async ({ page }) => {
  const backend = await openHarness(page);
  const repo = 'tunelab-test/tiny-qwen2';
  const first = await load(page, repo);
  expect(first).toMatchObject({ modelType: 'qwen2', vocabSize: 267, layers: 2, hidden: 16, dtypes: ['F32'] });
  expect(first.identity.weightsSha256).toBe(sha256(fixture(repo, 'model.safetensors')));
  expect(first.identity.commit).toBe('fedcba9876543210fedcba9876543210fedcba98');
  expect(first.downloaded).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'model.safetensors']);
  const progress = await page.evaluate(() => (window as unknown as { hubHarness: Harness }).hubHarness.progress);
  const weights = progress.filter((p) => p.file === 'model.safetensors');
  expect(weights.at(-1)).toMatchObject({ loaded: fixture(repo, 'model.safetensors').length, total: fixture(repo, 'model.safetensors').length, fromCache: false });
  const next = await page.evaluate(() => (window as unknown as { hubHarness: Harness }).hubHarness.nextToken(' the'));
  expect(next.id).toBeGreaterThanOrEqual(0);

  const before = server.requests.length;
  const second = await load(page, repo);
  expect(second.downloaded).toEqual([]);
  expect(server.requests.slice(before)).toEqual([]);
  expect(second.identity.weightsSha256).toBe(first.identity.weightsSha256);
  const cached = await page.evaluate(() => (window as unknown as { hubHarness: Harness }).hubHarness.cached());
  expect(cached.find((m) => m.repo === repo)?.files).toHaveLength(5);
  console.log(`hub-load e2e: backend ${backend.name}; ${server.requests.length} requests`);
});

test('an interrupted download resumes with a Range request', async ({ page }) => {
  await openHarness(page);
  const repo = 'tunelab-test/tiny-llama-bf16';
  server.cutNext('model.safetensors', 8000);
  const summary = await load(page, repo);
  expect(summary.dtypes).toEqual(['BF16']);
  expect(summary.identity.weightsSha256).toBe(sha256(fixture(repo, 'model.safetensors')));
  const weightRequests = server.requests.filter((r) => r.startsWith(`${repo}/model.safetensors`));
  expect(weightRequests).toEqual([`${repo}/model.safetensors`, `${repo}/model.safetensors bytes=8000-`]);
  const progress = await page.evaluate(() => (window as unknown as { hubHarness: Harness }).hubHarness.progress);
  expect(progress.filter((p) => p.file === 'model.safetensors').at(-1)?.resumes).toBe(1);
});

test('ModelLoader.svelte: load by repo id from a mirror endpoint, see the summary, delete from the cache', async ({ page }) => {
  await page.goto(`${server.origin}/src/diagnostics/e2e-harness/model-loader.html`);
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  await page.getByLabel('Repository').fill('tunelab-test/tiny-gpt2-f16');
  await page.getByText('Advanced').click();
  await page.getByLabel('Endpoint (a mirror)').fill(`${server.origin}/hub`);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('loaded-model')).toContainText('tunelab-test/tiny-gpt2-f16@main · gpt2');
  await expect(page.getByTestId('loaded-model')).toContainText('F16');
  await expect(page.getByTestId('download-row').filter({ hasText: 'model.safetensors' })).toContainText('29 KB of 29 KB');
  const cachedRow = page.getByRole('listitem').filter({ hasText: 'tunelab-test/tiny-gpt2-f16@main' });
  await expect(cachedRow).toContainText('5 files');
  await cachedRow.getByRole('button', { name: 'Delete tunelab-test/tiny-gpt2-f16 from the cache' }).click();
  await expect(cachedRow).toHaveCount(0);
  await page.getByLabel('Repository').fill('EleutherAI/not-here');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('has no config.json');
  // The hint survives the worker boundary (errors are rebuilt by registered name, not the minified class name).
  await expect(page.getByRole('alert')).toContainText('Pick the folder (or repository) that holds config.json');
  await expect(page.getByTestId('loaded-model')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/model-loader.png', fullPage: true });
});

test('imports a PEFT adapter onto its base, and refuses it on another base with the reason', async ({ page }) => {
  await openHarness(page);
  const importAdapter = (folder: string) => page.evaluate((f) => (window as unknown as { hubHarness: Harness }).hubHarness.importAdapter(f), folder);
  await load(page, 'tunelab-test/tiny-qwen2');
  expect(await importAdapter('tiny-llama-lora')).toEqual({
    error: 'AdapterMismatchError',
    message: 'This adapter was trained on tunelab-test/tiny-llama; the loaded model is tunelab-test/tiny-qwen2@main.',
  });
  await load(page, 'tunelab-test/tiny-llama');
  expect(await importAdapter('tiny-llama-lora')).toMatchObject({ r: 4, loraAlpha: 8, modules: 6, trainedOn: 'tunelab-test/tiny-llama' });
});

test('tiny-qwen3 (Qwen3 layout: BF16, tied head, q/k norms, Qwen3 tokenizer) loads, predicts the reference token, takes its PEFT adapter', async ({ page }) => {
  await openHarness(page);
  const repo = 'tunelab-test/tiny-qwen3';
  const summary = await load(page, repo);
  expect(summary).toMatchObject({ modelType: 'qwen3', vocabSize: 352, layers: 2, hidden: 16, dtypes: ['BF16'] });
  expect(summary.identity.weightsSha256).toBe(sha256(fixture(repo, 'model.safetensors')));
  // ' the a the' is [279, 264, 279]; the float64 reference (make_checkpoints.py) puts logit 14.93 on id 150, 10.56 next.
  const next = await page.evaluate(() => (window as unknown as { hubHarness: Harness }).hubHarness.nextToken(' the a the'));
  expect(next.id).toBe(150);
  const imported = await page.evaluate(() => (window as unknown as { hubHarness: Harness }).hubHarness.importAdapter('tiny-qwen3-lora'));
  expect(imported).toMatchObject({ r: 4, loraAlpha: 8, modules: 14, trainedOn: repo });
});

test('Gemma 3 text: tiny-gemma3 (BF16, the real 262,144-token tokenizer) loads, predicts and takes its PEFT adapter', async ({ page }) => {
  await openHarness(page);
  const repo = 'tunelab-test/tiny-gemma3';
  const summary = await load(page, repo);
  expect(summary).toMatchObject({ modelType: 'gemma3_text', vocabSize: 262144, layers: 2, hidden: 8, dtypes: ['BF16'] });
  expect(summary.identity.weightsSha256).toBe(sha256(fixture(repo, 'model.safetensors')));
  const next = await page.evaluate(() => (window as unknown as { hubHarness: Harness }).hubHarness.nextToken('Hello world'));
  expect(next.id).toBeGreaterThanOrEqual(0);
  expect(next.id).toBeLessThan(262144);
  const adapter = await page.evaluate(() => (window as unknown as { hubHarness: Harness }).hubHarness.importAdapter('tiny-gemma3-lora'));
  expect(adapter).toMatchObject({ r: 2, loraAlpha: 4, modules: 10, trainedOn: repo });
});
