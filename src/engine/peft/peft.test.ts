// PEFT adapters: a PEFT-layout adapter written by the Python reference imports and matches its float64 logits;
// export → zip → import gives identical logits; exported files have PEFT's names, shapes and config keys.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { AdapterFormatError, AdapterMismatchError } from '../errors';
import { loadCheckpoint, type LoadedCheckpoint } from '../hub/load';
import { HubSource, LocalFilesSource } from '../hub/source';
import { FIXTURES_DIR, TEST_ENDPOINT, fakeHub } from '../hub/testing/fixture-server';
import { createModel, type CausalLM } from '../models/causal-lm';
import type { LoraAdapter } from '../lora/adapter';
import { attachPeftAdapter, exportPeftAdapter, readPeftAdapter, ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE } from './adapter-files';
import { LINEAGE_FILE, type LineageInput } from './lineage';
import { mergedCheckpointFiles } from './merged-export';
import { unzipBundle, zipBundle, type FileBundle } from './zip';

const golden = JSON.parse(readFileSync(join(FIXTURES_DIR, 'golden.json'), 'utf8')) as { ids: number[]; adapters: Record<string, number[][]> };
const adapterFiles = (name: string): FileBundle => ({
  [ADAPTER_CONFIG_FILE]: new Uint8Array(readFileSync(join(FIXTURES_DIR, 'adapters', name, ADAPTER_CONFIG_FILE))),
  [ADAPTER_WEIGHTS_FILE]: new Uint8Array(readFileSync(join(FIXTURES_DIR, 'adapters', name, ADAPTER_WEIGHTS_FILE))),
});

/** A plain safetensors header parse (8-byte little-endian length + JSON), independent of src/engine/io. */
function plainHeader(bytes: Uint8Array): Record<string, { dtype: string; shape: number[]; data_offsets: number[] }> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  delete header.__metadata__;
  return header;
}

function relativeError(actual: Float32Array, expected: number[][]): number {
  const flat = expected.flat();
  let diff = 0;
  let ref = 0;
  flat.forEach((e, i) => {
    diff = Math.max(diff, Math.abs(actual[i] - e));
    ref = Math.max(ref, Math.abs(e));
  });
  return diff / ref;
}

const load = (repo: string) => loadCheckpoint(new HubSource({ repo, endpoint: TEST_ENDPOINT, fetch: fakeHub().fetch }));
const logitsOf = (model: CausalLM, adapter: LoraAdapter | null) => {
  const t = model.logits(Int32Array.from(golden.ids), 1, golden.ids.length, adapter);
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
};
const lineageOf = (loaded: LoadedCheckpoint, lora: LoraAdapter): LineageInput => ({
  base: { ...loaded.identity, modelType: loaded.config.model_type },
  dataset: { name: 'unit', sha256: 'ab'.repeat(32), exampleIds: ['r1', 'r2'] },
  lora: lora.config,
  training: { lr: 1e-3, maxSteps: 10 },
  seed: 7,
  evalSummary: { loss: 1.5 },
});

beforeAll(async () => {
  await initBackend('cpu');
});

describe('PEFT adapters', () => {
  for (const [name, repo] of [
    ['tiny-llama-lora', 'tunelab-test/tiny-llama'],
    ['tiny-gpt2-lora', 'tunelab-test/tiny-gpt2'],
    ['tiny-qwen3-lora', 'tunelab-test/tiny-qwen3'],
  ] as const) {
    it(`${name}: a PEFT-layout adapter from the Python reference matches its float64 logits`, async () => {
      const loaded = await load(repo);
      const model = createModel(loaded.config, loaded.weights);
      const imported = readPeftAdapter(adapterFiles(name), model.linearModules);
      const adapter = attachPeftAdapter(model, imported, loaded.identity);
      expect(relativeError(logitsOf(model, adapter), golden.adapters[name])).toBeLessThan(1e-4);
      // Without the adapter the logits differ: the check above can fail.
      expect(relativeError(logitsOf(model, null), golden.adapters[name])).toBeGreaterThan(1e-2);

      // Export → zip → unzip → import: identical logits, and PEFT's names/shapes/dtypes as the reference file.
      const { files, manifest } = await exportPeftAdapter(adapter, loaded.config.model_type, lineageOf(loaded, adapter));
      const back = unzipBundle(zipBundle(files));
      expect(Object.keys(back).sort()).toEqual([ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, LINEAGE_FILE]);
      const reference = plainHeader(adapterFiles(name)[ADAPTER_WEIGHTS_FILE]);
      const ours = plainHeader(back[ADAPTER_WEIGHTS_FILE]);
      expect(Object.keys(ours).sort()).toEqual(Object.keys(reference).sort());
      for (const key of Object.keys(reference)) expect([key, ours[key].shape, ours[key].dtype]).toEqual([key, reference[key].shape, reference[key].dtype]);
      const refConfig = JSON.parse(new TextDecoder().decode(adapterFiles(name)[ADAPTER_CONFIG_FILE]));
      const ourConfig = JSON.parse(new TextDecoder().decode(back[ADAPTER_CONFIG_FILE]));
      for (const key of Object.keys(refConfig).filter((k) => !['lora_dropout', 'auto_mapping', 'loftq_config', 'megatron_config', 'megatron_core', 'layer_replication'].includes(k))) {
        const norm = (v: unknown) => (Array.isArray(v) ? [...v].sort() : v);
        expect([key, norm(ourConfig[key])]).toEqual([key, key === 'revision' ? loaded.identity.commit : norm(refConfig[key])]);
      }
      expect(manifest.base.weightsSha256).toBe(loaded.identity.weightsSha256);
      expect(manifest.dataset?.exampleIds).toEqual(['r1', 'r2']);

      const reimported = attachPeftAdapter(model, readPeftAdapter(back, model.linearModules), loaded.identity);
      expect(logitsOf(model, reimported)).toEqual(logitsOf(model, adapter));

      // Merged full weights in the base layout load as a plain checkpoint and give the adapter's logits.
      const merged = await mergedCheckpointFiles(loaded, model, adapter);
      const mergedNames = Object.keys(plainHeader(merged['model.safetensors']));
      for (const n of mergedNames) expect(loaded.weights.has(n) || n.startsWith('transformer.')).toBe(true);
      if (loaded.config.model_type === 'gpt2') expect(mergedNames).toContain('h.0.attn.c_attn.weight');
      const reloaded = await loadCheckpoint(new LocalFilesSource(Object.entries(merged).map(([n, b]) => new File([b as Uint8Array<ArrayBuffer>], n))));
      const mergedModel = createModel(reloaded.config, reloaded.weights);
      expect(relativeError(logitsOf(mergedModel, null), golden.adapters[name])).toBeLessThan(1e-4);
      for (const m of [mergedModel, model]) m.dispose();
      for (const a of [adapter, reimported]) a.dispose();
    });
  }

  it('refuses an adapter whose lineage names another base, saying which', async () => {
    const base = await load('tunelab-test/tiny-llama');
    const other = await load('tunelab-test/tiny-llama-bf16');
    const model = createModel(base.config, base.weights);
    const adapter = attachPeftAdapter(model, readPeftAdapter(adapterFiles('tiny-llama-lora'), model.linearModules), base.identity);
    const { files } = await exportPeftAdapter(adapter, 'llama', lineageOf(base, adapter));
    const otherModel = createModel(other.config, other.weights);
    const imported = readPeftAdapter(files, otherModel.linearModules);
    expect(() => attachPeftAdapter(otherModel, imported, other.identity)).toThrow(AdapterMismatchError);
    expect(() => attachPeftAdapter(otherModel, imported, other.identity)).toThrow(/trained on tunelab-test\/tiny-llama@0123456789ab .*the loaded model is tunelab-test\/tiny-llama-bf16/);
    expect(() => attachPeftAdapter(model, imported, { ...base.identity, tokenizerSha256: 'f'.repeat(64) })).toThrow(/tokenizer/);
    // PEFT's two files alone (no tunelab_lineage.json): the weights file's metadata still names the base's sha-256s.
    const twoFiles = readPeftAdapter({ [ADAPTER_CONFIG_FILE]: files[ADAPTER_CONFIG_FILE], [ADAPTER_WEIGHTS_FILE]: files[ADAPTER_WEIGHTS_FILE] }, otherModel.linearModules);
    expect(twoFiles.lineage).toBeNull();
    expect(twoFiles.stamp).toEqual({ name: 'tunelab-test/tiny-llama', weightsSha256: base.identity.weightsSha256, tokenizerSha256: base.identity.tokenizerSha256 });
    expect(() => attachPeftAdapter(otherModel, twoFiles, other.identity)).toThrow(/trained on tunelab-test\/tiny-llama \(weights [0-9a-f]{12}, as its adapter_model.safetensors records\)/);
    attachPeftAdapter(model, twoFiles, base.identity).dispose();
    for (const m of [model, otherModel]) m.dispose();
    adapter.dispose();
  });

  it('refuses a foreign PEFT adapter for another base, by name or by modules', async () => {
    const qwen = await load('tunelab-test/tiny-qwen2');
    const qwenModel = createModel(qwen.config, qwen.weights);
    const imported = readPeftAdapter(adapterFiles('tiny-llama-lora'), qwenModel.linearModules);
    expect(() => attachPeftAdapter(qwenModel, imported, qwen.identity)).toThrow(/trained on tunelab-test\/tiny-llama; the loaded model is tunelab-test\/tiny-qwen2/);
    const gpt2 = await load('tunelab-test/tiny-gpt2');
    const gpt2Model = createModel(gpt2.config, gpt2.weights);
    expect(() => readPeftAdapter(adapterFiles('tiny-llama-lora'), gpt2Model.linearModules)).toThrow(/none of which this model has/);
    const files = adapterFiles('tiny-llama-lora');
    const config = JSON.parse(new TextDecoder().decode(files[ADAPTER_CONFIG_FILE]));
    const bad = (patch: object) => ({ ...files, [ADAPTER_CONFIG_FILE]: new TextEncoder().encode(JSON.stringify({ ...config, ...patch })) });
    expect(() => readPeftAdapter(bad({ use_dora: true }), qwenModel.linearModules)).toThrow(AdapterFormatError);
    expect(() => readPeftAdapter(bad({ peft_type: 'IA3' }), qwenModel.linearModules)).toThrow(/LORA adapters only/);
    const wrongRank = readPeftAdapter(bad({ r: 8, base_model_name_or_path: null }), qwenModel.linearModules);
    expect(() => attachPeftAdapter(qwenModel, wrongRank, qwen.identity)).toThrow(/shape \[4,16\] but this model needs \[8,16\]/);
    expect(() => readPeftAdapter({ [ADAPTER_CONFIG_FILE]: files[ADAPTER_CONFIG_FILE] }, qwenModel.linearModules)).toThrow(/lacks adapter_model.safetensors/);
    // A regex target_modules (as PEFT allows) resolves against the model's module names.
    const regex = readPeftAdapter(bad({ target_modules: '.*\\.(q_proj|v_proj|down_proj)' }), qwenModel.linearModules);
    expect(regex.lora.target_modules).toHaveLength(6);
    for (const m of [qwenModel, gpt2Model]) m.dispose();
  });
});
