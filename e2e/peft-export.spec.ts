// Train on a Hub-layout model, then export from the Train page: PEFT adapter, merged weights and the TRL bundle are
// downloaded and checked file by file in Node; the adapter zip re-imports with identical outputs and is refused on another base.
import { expect, test, type Page } from './fixtures';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { startHubServer, type HubServer } from './hub-server';
import { createExampleDataset, openPage, screenshot, startRun } from './helpers';

const FIXTURES = resolve(import.meta.dirname, '../src/engine/hub/fixtures');
const fixture = (repo: string, file: string) => new Uint8Array(readFileSync(resolve(FIXTURES, repo, file)));
const fixturePath = (repo: string, file: string) => resolve(FIXTURES, repo, file);
const shipped = (id: string, file: string) => new Uint8Array(readFileSync(resolve(import.meta.dirname, '../public/models', id, file)));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const text = (b: Uint8Array) => new TextDecoder().decode(b);

interface Tensor {
  dtype: string;
  shape: number[];
  data: Float64Array;
}

/** A plain safetensors reader, independent of the app's: 8-byte little-endian header length, JSON header, raw data. */
function readSafetensors(bytes: Uint8Array): Map<string, Tensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(text(bytes.subarray(8, 8 + headerLength))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const out = new Map<string, Tensor>();
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const start = 8 + headerLength + t.data_offsets[0];
    const count = t.shape.reduce((a, b) => a * b, 1);
    const data = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      if (t.dtype === 'F32') data[i] = view.getFloat32(start + 4 * i, true);
      else if (t.dtype === 'F16') data[i] = f16(view.getUint16(start + 2 * i, true));
      else throw new Error(`dtype ${t.dtype} not read by this test`);
    }
    out.set(name, { dtype: t.dtype, shape: t.shape, data });
  }
  return out;
}

function f16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

let server: HubServer;
test.beforeAll(async () => {
  server = await startHubServer();
});
test.afterAll(async () => {
  await server.close();
});

async function loadFromHub(page: Page, repo: string): Promise<void> {
  await openPage(page, 'Models');
  await page.getByLabel('Repository').fill(repo);
  const endpoint = page.getByLabel('Endpoint (a mirror)');
  if (!(await endpoint.isVisible())) await page.getByText('Advanced').click();
  await endpoint.fill(`${server.origin}/hub`);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('loaded-model')).toContainText(`${repo}@main`, { timeout: 60_000 });
}

/** Clicks an export button and returns the downloaded zip's files. */
async function download(page: Page, button: string): Promise<{ name: string; path: string; files: Record<string, Uint8Array> }> {
  const waiting = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByRole('button', { name: button }).click();
  const file = await waiting;
  const path = test.info().outputPath(file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path, files: unzipSync(new Uint8Array(readFileSync(path))) };
}

async function generate(page: Page, prompt: string, chat = false): Promise<{ base: string; tuned: string }> {
  const panel = page.getByRole('region', { name: 'Generate: base vs fine-tuned' });
  await panel.getByLabel('Prompt').fill(prompt);
  await panel.getByLabel('Seed').fill('3');
  await panel.getByLabel('Temperature').fill('0');
  await panel.getByLabel('Max tokens').fill('12');
  // Tiny World runs have no chat template, so no Chat option.
  const chatBox = panel.getByLabel('Chat (as a user message, through the chat template)');
  if (chat || (await chatBox.count()) > 0) await chatBox.setChecked(chat);
  await panel.getByRole('button', { name: 'Generate' }).click();
  await expect(panel.getByRole('button', { name: 'Stop' })).toHaveCount(0, { timeout: 60_000 });
  await expect(panel.getByRole('button', { name: 'Generate' })).toBeEnabled({ timeout: 60_000 });
  return { base: (await page.getByTestId('generate-base').textContent()) ?? '', tuned: (await page.getByTestId('generate-tuned').textContent()) ?? '' };
}

test('train on tiny-gpt2 → download adapter, merged weights and TRL bundle → re-import gives the same outputs → refused on another base', async ({ page }) => {
  test.setTimeout(360_000);
  const repo = 'tunelab-test/tiny-gpt2';
  await page.goto(`${server.origin}/`);
  await loadFromHub(page, repo);
  await createExampleDataset(page);
  await openPage(page, 'Train');
  await startRun(page, { steps: 4, batchSize: 4, learningRate: '0.05', warmupSteps: 0, checkpointEvery: 4 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  const trained = await generate(page, 'abc>');
  console.log(`peft-export e2e: base ${JSON.stringify(trained.base)} tuned ${JSON.stringify(trained.tuned)}`);
  expect(trained.tuned).not.toBe(trained.base); // else the re-import check below could not fail

  // 1. PEFT adapter: PEFT's names, [r, in] / [out, r], adapter_config as PEFT writes it, lineage naming this base.
  const adapter = await download(page, 'Download PEFT adapter (.zip)');
  expect(adapter.name).toMatch(/-peft-adapter\.zip$/);
  expect(Object.keys(adapter.files).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors', 'tunelab_lineage.json']);
  const config = JSON.parse(text(adapter.files['adapter_config.json']));
  expect(config).toMatchObject({ peft_type: 'LORA', task_type: 'CAUSAL_LM', r: 8, lora_alpha: 16, fan_in_fan_out: true, bias: 'none', base_model_name_or_path: repo });
  expect([...config.target_modules].sort()).toEqual(['c_attn', 'c_fc', 'c_proj']);
  const modelConfig = JSON.parse(text(fixture(repo, 'config.json')));
  const d = modelConfig.n_embd as number;
  const tensors = readSafetensors(adapter.files['adapter_model.safetensors']);
  const shapes: Record<string, [number, number]> = { 'attn.c_attn': [d, 3 * d], 'attn.c_proj': [d, d], 'mlp.c_fc': [d, 4 * d], 'mlp.c_proj': [4 * d, d] };
  expect(tensors.size).toBe(modelConfig.n_layer * 4 * 2);
  for (let layer = 0; layer < modelConfig.n_layer; layer++) {
    for (const [module, [nIn, nOut]] of Object.entries(shapes)) {
      const prefix = `base_model.model.transformer.h.${layer}.${module}`;
      expect(tensors.get(`${prefix}.lora_A.weight`)).toMatchObject({ dtype: 'F32', shape: [8, nIn] });
      expect(tensors.get(`${prefix}.lora_B.weight`)).toMatchObject({ dtype: 'F32', shape: [nOut, 8] });
    }
  }
  const lineage = JSON.parse(text(adapter.files['tunelab_lineage.json']));
  expect(lineage.base).toMatchObject({ repo, modelType: 'gpt2', weightsSha256: sha256(fixture(repo, 'model.safetensors')), tokenizerSha256: sha256(fixture(repo, 'tokenizer.json')) });
  expect(lineage.dataset.exampleIds.length).toBeGreaterThan(100);
  expect(lineage.adapterSha256).toBe(sha256(adapter.files['adapter_model.safetensors']));
  await expect(page.getByTestId('export-saved')).toContainText('adapter_config.json, adapter_model.safetensors, tunelab_lineage.json');

  // 2. Merged weights: the base checkpoint's names and shapes, and W + (α/r)·(B·A)ᵀ recomputed here in float64 from the adapter.
  const merged = await download(page, 'Download merged weights (.zip)');
  expect(Object.keys(merged.files).sort()).toEqual(['config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
  const baseWeights = readSafetensors(fixture(repo, 'model.safetensors'));
  const mergedWeights = readSafetensors(merged.files['model.safetensors']);
  for (const [name, t] of mergedWeights) expect([name, t.shape]).toEqual([name, baseWeights.get(name)?.shape]);
  const module = 'h.1.mlp.c_fc';
  const A = tensors.get(`base_model.model.transformer.${module}.lora_A.weight`) as Tensor; // [r, in]
  const B = tensors.get(`base_model.model.transformer.${module}.lora_B.weight`) as Tensor; // [out, r]
  const W = baseWeights.get(`${module}.weight`) as Tensor; // Conv1D [in, out]
  const M = mergedWeights.get(`${module}.weight`) as Tensor;
  const [nIn, nOut] = W.shape;
  let maxError = 0;
  let maxDelta = 0;
  for (let i = 0; i < nIn; i++) {
    for (let o = 0; o < nOut; o++) {
      let delta = 0;
      for (let k = 0; k < 8; k++) delta += B.data[o * 8 + k] * A.data[k * nIn + i];
      const expected = W.data[i * nOut + o] + (16 / 8) * delta;
      maxError = Math.max(maxError, Math.abs(M.data[i * nOut + o] - expected));
      maxDelta = Math.max(maxDelta, Math.abs(delta));
    }
  }
  expect(maxDelta).toBeGreaterThan(1e-4);
  expect(maxError).toBeLessThan(1e-6);
  expect(mergedWeights.get('wte.weight')?.data).toEqual(baseWeights.get('wte.weight')?.data);

  // 3. Scale-out: the training split as JSONL, TRL config with this run's numbers, script and README.
  const bundle = await download(page, 'Export for scale-out (TRL)');
  expect(Object.keys(bundle.files).sort()).toEqual(['README.md', 'dataset.jsonl', 'train_sft.py', 'trl_config.json']);
  const rows = text(bundle.files['dataset.jsonl']).trim().split('\n').map((l) => JSON.parse(l));
  expect(rows.length).toBe(lineage.dataset.exampleIds.length);
  expect(rows[0]).toHaveProperty('prompt');
  const trl = JSON.parse(text(bundle.files['trl_config.json']));
  expect(trl).toMatchObject({ model_name_or_path: repo, sft: { learning_rate: 0.05, max_steps: 4, per_device_train_batch_size: 4 }, lora: { r: 8, lora_alpha: 16 } });
  await screenshot(page, 'peft-export-train');

  // 4. Re-import the adapter zip on the same base: the same answer as the run it came from.
  await openPage(page, 'Models');
  await page.getByLabel('Adapter files (.zip, or the two PEFT files)').setInputFiles(adapter.path);
  await expect(page.getByTestId('imported-adapter')).toContainText('LoRA r 8, alpha 16 · 8 modules');
  await expect(page.getByTestId('imported-adapter')).toContainText(`${repo}@fedcba987654`);
  await screenshot(page, 'peft-import');
  await page.getByRole('button', { name: 'Compare with the base on the Train page →' }).click();
  await expect(page.getByRole('heading', { name: /^Imported adapter/ })).toBeVisible();
  const reimported = await generate(page, 'abc>');
  expect(reimported).toEqual(trained);
  await screenshot(page, 'peft-import-generate');

  // 5. The same zip on another base (same architecture, other weights) is refused with the reason.
  await loadFromHub(page, 'tunelab-test/tiny-gpt2-f16');
  await page.getByLabel('Adapter files (.zip, or the two PEFT files)').setInputFiles(adapter.path);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(`This adapter was trained on ${repo}@fedcba987654`);
  await expect(alert).toContainText('the loaded model is tunelab-test/tiny-gpt2-f16@fedcba987654');
  await expect(alert).toContainText(`Load ${repo} at revision`);
  await expect(page.getByTestId('imported-adapter')).toHaveCount(0);
  await screenshot(page, 'peft-lineage-refused');
});

test('chat: tiny-qwen2 fine-tuned on chat JSONL answers through its ChatML template; its exported adapter evaluates the same after re-import', async ({ page }) => {
  test.setTimeout(360_000);
  const repo = 'tunelab-test/tiny-qwen2';
  await page.goto(`${server.origin}/`);
  await loadFromHub(page, repo);
  await expect(page.getByTestId('loaded-model')).toContainText('Chat template');
  await openPage(page, 'Data');
  const names = ['ada', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jo'];
  const jsonl = Array.from({ length: 60 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `hi ${names[i % 10]} ${i}` }, { role: 'assistant', content: 'hello there' }] })).join('\n');
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles({ name: 'greetings.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(jsonl) });
  await expect(page.getByTestId('dataset-rows')).toHaveText('60');

  await openPage(page, 'Train');
  // A Llama-family base offers its own module names, starting from PEFT's defaults.
  await expect(page.getByLabel('q_proj')).toBeChecked();
  await expect(page.getByLabel('v_proj')).toBeChecked();
  await expect(page.getByLabel('c_attn')).toHaveCount(0);
  for (const module of ['k_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']) await page.getByLabel(module).check();
  await startRun(page, { steps: 40, batchSize: 4, learningRate: '0.05', warmupSteps: 0, checkpointEvery: 40, validateEvery: 40 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 240_000 });
  const chat = await generate(page, 'hi kim', true);
  console.log(`chat e2e: base ${JSON.stringify(chat.base)} tuned ${JSON.stringify(chat.tuned)}`);
  const panel = page.getByRole('region', { name: 'Generate: base vs fine-tuned' });
  await panel.getByText("Prompt as rendered by the model's chat template").click();
  await expect(panel.getByTestId('rendered-prompt')).toHaveText('<|im_start|>user\nhi kim<|im_end|>\n<|im_start|>assistant\n');
  expect(chat.tuned).toMatch(/^hello there/);
  expect(chat.base).not.toMatch(/^hello there/);
  await screenshot(page, 'chat-generate');

  await openPage(page, 'Evaluate');
  await page.getByRole('button', { name: 'Evaluate base vs fine-tuned' }).click();
  const table = page.getByRole('table', { name: 'Evaluation results' });
  await expect(table).toContainText('Fine-tuned (step 40)', { timeout: 60_000 });
  const trainedRow = (await table.getByRole('row').nth(2).textContent()) ?? '';

  await openPage(page, 'Train');
  const adapter = await download(page, 'Download PEFT adapter (.zip)');
  const config = JSON.parse(text(adapter.files['adapter_config.json']));
  expect(config).toMatchObject({ peft_type: 'LORA', fan_in_fan_out: false, base_model_name_or_path: repo });
  const tensors = readSafetensors(adapter.files['adapter_model.safetensors']);
  expect(tensors.get('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight')?.shape).toEqual([8, 16]);
  expect(tensors.get('base_model.model.model.layers.1.mlp.up_proj.lora_B.weight')?.shape).toEqual([24, 8]);
  expect(tensors.size).toBe(2 * 7 * 2);
  await openPage(page, 'Models');
  await page.getByLabel('Adapter files (.zip, or the two PEFT files)').setInputFiles(adapter.path);
  await page.getByRole('button', { name: 'Compare with the base on the Train page →' }).click();
  expect(await generate(page, 'hi kim', true)).toEqual(chat);
  await openPage(page, 'Evaluate');
  await page.getByRole('button', { name: 'Evaluate base vs fine-tuned' }).click();
  await expect(table).toContainText('Imported adapter', { timeout: 60_000 });
  // The same held-out split and weights: identical loss and accuracy to the run the adapter was exported from.
  expect(((await table.getByRole('row').nth(2).textContent()) ?? '').replace('Imported adapter', '')).toBe(trainedRow.replace('Fine-tuned (step 40)', ''));
  await screenshot(page, 'chat-imported-evaluate');
});

/** A short LoRA run on the example dataset, on whatever base is chosen now. */
async function trainTwoSteps(page: Page): Promise<void> {
  await createExampleDataset(page);
  await openPage(page, 'Train');
  await page.getByLabel('LoRA (adapter only)').check();
  // The probe field shows for Tiny World bases only.
  const probes = (await page.getByLabel('Skill probe items per skill (0 = off)').count()) > 0 ? 0 : undefined;
  await startRun(page, { steps: 2, batchSize: 4, learningRate: '0.05', warmupSteps: 0, checkpointEvery: 2, validateEvery: 2, probeItems: probes });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
}

test('Tiny World: a LoRA run exports a PEFT adapter and merged weights naming the shipped base and its sha-256; re-imports onto it; refused on the other base', async ({ page }) => {
  test.setTimeout(300_000);
  const id = 'tiny-world-400k';
  await page.goto(`${server.origin}/`);
  await openPage(page, 'Models');
  await page.getByLabel(/Tiny World 400k \(pretrained/).check();
  await trainTwoSteps(page);
  const trained = await generate(page, 'REV abcd=');

  const adapter = await download(page, 'Download PEFT adapter (.zip)');
  expect(Object.keys(adapter.files).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors', 'tunelab_lineage.json']);
  const config = JSON.parse(text(adapter.files['adapter_config.json']));
  // The base is an ordinary GPT-2 checkpoint: its folder in the repository, which from_pretrained reads from a checkout.
  expect(config).toMatchObject({ peft_type: 'LORA', r: 8, fan_in_fan_out: true, base_model_name_or_path: `public/models/${id}` });
  const lineage = JSON.parse(text(adapter.files['tunelab_lineage.json']));
  expect(lineage.base).toMatchObject({ repo: `public/models/${id}`, modelType: 'gpt2', nameSource: 'shipped', weightsSha256: sha256(shipped(id, 'model.safetensors')), tokenizerSha256: sha256(shipped(id, 'tokenizer.json')) });
  const tensors = readSafetensors(adapter.files['adapter_model.safetensors']);
  expect(tensors.size).toBe(2 * 4 * 2); // 2 layers × (attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj) × (A, B)
  expect(tensors.get('base_model.model.transformer.h.1.mlp.c_fc.lora_A.weight')?.shape).toEqual([8, 128]);
  const merged = await download(page, 'Download merged weights (.zip)');
  expect(Object.keys(merged.files).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
  const baseWeights = readSafetensors(shipped(id, 'model.safetensors'));
  const mergedWeights = readSafetensors(merged.files['model.safetensors']);
  expect([...mergedWeights.keys()].sort()).toEqual([...baseWeights.keys()].sort());
  expect(mergedWeights.get('transformer.h.1.mlp.c_fc.weight')?.data).not.toEqual(baseWeights.get('transformer.h.1.mlp.c_fc.weight')?.data);
  await screenshot(page, 'tiny-world-export');

  // Re-import onto the same Tiny World base: the same answers as the run.
  await openPage(page, 'Models');
  await page.getByLabel('Adapter files (.zip, or the two PEFT files)').setInputFiles(adapter.path);
  await expect(page.getByTestId('imported-adapter')).toContainText('LoRA r 8, alpha 16 · 8 modules');
  await expect(page.getByTestId('imported-adapter')).toContainText(`public/models/${id}@tunelab-`);
  await expect(page.getByTestId('adapter-warning')).toHaveCount(0);
  await page.getByRole('button', { name: 'Compare with the base on the Train page →' }).click();
  expect(await generate(page, 'REV abcd=')).toEqual(trained);

  // Onto the other shipped base: refused for its weights, before any module mismatch.
  await openPage(page, 'Models');
  await page.getByLabel(/Tiny World 800k \(pretrained/).check();
  await page.getByLabel('Adapter files (.zip, or the two PEFT files)').setInputFiles(adapter.path);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(`This adapter was trained on public/models/${id}@tunelab-`);
  await expect(alert).toContainText('the chosen base is public/models/tiny-world-800k@tunelab-');
  await expect(alert).toContainText(`Pick ${id} as the base model on the Models page first`);
  await expect(page.getByTestId('imported-adapter')).toHaveCount(0);
  await screenshot(page, 'tiny-world-import-refused');
});

test('local files get a hash identity; an adapter trained on local Llama is refused on local Qwen2 of the same shapes, zip or PEFT files alone', async ({ page }) => {
  test.setTimeout(300_000);
  const llama = 'tunelab-test/tiny-llama-bf16';
  const qwen = 'tunelab-test/tiny-qwen2';
  const files = (repo: string) => ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'model.safetensors'].map((f) => fixturePath(repo, f));
  const llamaSha = sha256(fixture(llama, 'model.safetensors'));
  const qwenSha = sha256(fixture(qwen, 'model.safetensors'));
  await page.goto(`${server.origin}/`);
  await openPage(page, 'Models');
  await page.getByLabel('pick files').setInputFiles(files(llama));
  const identity = page.getByTestId('model-identity');
  await expect(identity).toContainText(`local-llama-${llamaSha.slice(0, 12)} (named by its weights’ sha-256`, { timeout: 60_000 });
  await expect(identity).toContainText(`tokenizer sha-256 ${sha256(fixture(llama, 'tokenizer.json')).slice(0, 16)}`);
  await expect(page.getByTestId('loaded-model')).not.toContainText('local files (loaded)');
  await screenshot(page, 'local-files-identity');
  await trainTwoSteps(page);
  const adapter = await download(page, 'Download PEFT adapter (.zip)');
  const config = JSON.parse(text(adapter.files['adapter_config.json']));
  expect(config.base_model_name_or_path).toBe(`local-llama-${llamaSha.slice(0, 12)}`);
  expect(JSON.parse(text(adapter.files['tunelab_lineage.json'])).base).toMatchObject({ weightsSha256: llamaSha, revision: 'local', nameSource: 'hash' });

  // The Qwen2 files, named by the user: same module shapes, other weights.
  await openPage(page, 'Models');
  await page.getByLabel(/Name of these files/).fill(qwen);
  await page.getByLabel('pick files').setInputFiles(files(qwen));
  await expect(identity).toContainText(`${qwen} (named by the name you gave)`, { timeout: 60_000 });
  const alert = page.getByRole('alert');
  await page.getByLabel('Adapter files (.zip, or the two PEFT files)').setInputFiles(adapter.path);
  await expect(alert).toContainText(`This adapter was trained on local-llama-${llamaSha.slice(0, 12)} (local files, weights ${llamaSha.slice(0, 12)})`);
  await expect(alert).toContainText(`the loaded model is ${qwen} (local files, weights ${qwenSha.slice(0, 12)})`);
  await expect(page.getByTestId('imported-adapter')).toHaveCount(0);
  await screenshot(page, 'local-files-adapter-refused');
  // PEFT's two files alone (no tunelab_lineage.json): the weights file's metadata still says which base.
  await alert.getByRole('button', { name: /Dismiss/ }).click();
  const two = ['adapter_config.json', 'adapter_model.safetensors'].map((name) => {
    const path = test.info().outputPath(name);
    writeFileSync(path, adapter.files[name]);
    return path;
  });
  await page.getByLabel('Adapter files (.zip, or the two PEFT files)').setInputFiles(two);
  await expect(alert).toContainText(`This adapter was trained on local-llama-${llamaSha.slice(0, 12)} (weights ${llamaSha.slice(0, 12)}, as its adapter_model.safetensors records)`);
  await expect(page.getByTestId('imported-adapter')).toHaveCount(0);

  // A PEFT adapter from elsewhere records no sha-256 of its base and names a Hub repo; the unnamed local Llama cannot
  // be matched by name: imported, with a warning that says why.
  await alert.getByRole('button', { name: /Dismiss/ }).click();
  await page.getByLabel(/Name of these files/).fill('');
  await page.getByLabel('pick files').setInputFiles(files(llama));
  await expect(identity).toContainText(`local-llama-${llamaSha.slice(0, 12)}`, { timeout: 60_000 });
  await page.getByLabel('Adapter files (.zip, or the two PEFT files)').setInputFiles(['adapter_config.json', 'adapter_model.safetensors'].map((f) => fixturePath('adapters/tiny-llama-lora', f)));
  await expect(page.getByTestId('imported-adapter')).toContainText('LoRA r 4, alpha 8');
  await expect(page.getByTestId('adapter-warning')).toContainText(
    `This adapter names “tunelab-test/tiny-llama” as its base; the loaded model is local-llama-${llamaSha.slice(0, 12)} (local files, weights ${llamaSha.slice(0, 12)}). TuneLab cannot check that it is the same model`,
  );
  await screenshot(page, 'local-files-adapter-warning');
});
