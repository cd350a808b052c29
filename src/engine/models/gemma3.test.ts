// Gemma 3 beyond the golden fixture: the window and layer types matter, cached decoding past the window, refusals, real shapes.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { tf } from '../backend/tf';
import { UnsupportedArchitectureError } from '../errors';
import { parseModelConfig } from '../hub/architecture';
import { LoraAdapter } from '../lora/adapter';
import { generate } from '../generate/generate';
import { scaledError, type GoldenFixture } from '../train/golden-check';
import { createModel, type CausalLM } from './causal-lm';
import type { Gemma3TextConfig, ModelConfig, WeightMap } from './config';
import { modelDims } from './dims';
import { KvCache } from './kv-cache';
import { linearModules, paramSpecs } from './params';
import fixtureJson from './fixtures/gemma3.json';
import { GEMMA3_270M } from './testing/gemma3-270m';

const fixture = fixtureJson as unknown as GoldenFixture;
const config = fixture.config as Gemma3TextConfig;

function toMap(record: GoldenFixture['weights']): WeightMap {
  const out: WeightMap = new Map();
  for (const [name, t] of Object.entries(record)) out.set(name, { shape: t.shape, data: Float32Array.from(t.data) });
  return out;
}
const weights = () => toMap(fixture.weights);

/** The fixture's logits are those of the base plus its LoRA adapter. */
async function fixtureLogits(model: CausalLM, ids: number[]): Promise<Float32Array> {
  const adapter = LoraAdapter.fromWeights(model.linearModules, fixture.lora, toMap(fixture.adapter));
  const out = await logitsOf(model, ids, adapter);
  adapter.dispose();
  return out;
}

async function logitsOf(model: CausalLM, ids: number[], lora: LoraAdapter | null = null): Promise<Float32Array> {
  const logits = model.logits(Int32Array.from(ids), 1, ids.length, lora);
  const data = (await logits.data()) as Float32Array;
  logits.dispose();
  return data;
}

/** The fixture's first example (7 inputs), whose float64 logits are the first 7·V entries of expected.logits. */
const firstRow = fixture.examples[0].ids.slice(0, -1);
const firstRowLogits = fixture.expected.logits.data.slice(0, firstRow.length * config.vocab_size);

beforeAll(async () => {
  await initBackend('cpu');
});

describe('Gemma 3 text', () => {
  it('the sliding window, the layer types and query_pre_attn_scalar each change the logits (the fixture would catch them)', async () => {
    const exact = createModel(config, weights());
    expect(scaledError(await fixtureLogits(exact, firstRow), firstRowLogits)).toBeLessThan(1e-4);
    exact.dispose();
    const variants: Gemma3TextConfig[] = [
      { ...config, sliding_window: 100 },
      { ...config, layer_types: ['full_attention', 'full_attention', 'full_attention'] },
      { ...config, layer_types: ['full_attention', 'sliding_attention', 'full_attention'] },
      { ...config, query_pre_attn_scalar: 8 },
      { ...config, rope_local_base_freq: 1e6 },
    ];
    for (const variant of variants) {
      const model = createModel(variant, weights());
      expect(scaledError(await fixtureLogits(model, firstRow), firstRowLogits), JSON.stringify(variant)).toBeGreaterThan(1e-3);
      model.dispose();
    }
  });

  it('older configs: sliding_window_pattern decides the layer types as HF does ((i + 1) % pattern === 0 is global)', async () => {
    const { layer_types: _, ...rest } = config;
    const old = { ...rest, sliding_window_pattern: 2 } as Gemma3TextConfig;
    expect(modelDims(old).gemma3?.slidingLayers).toEqual([true, false, true]);
    const model = createModel(old, weights());
    expect(scaledError(await fixtureLogits(model, firstRow), firstRowLogits)).toBeLessThan(1e-4);
    model.dispose();
    expect(modelDims(GEMMA3_270M).gemma3?.slidingLayers.map((s, i) => (s ? -1 : i)).filter((i) => i >= 0)).toEqual([5, 11, 17]);
    const { layer_types: __, ...noTypes } = GEMMA3_270M;
    expect(modelDims(noTypes as Gemma3TextConfig).gemma3?.slidingLayers).toEqual(modelDims(GEMMA3_270M).gemma3?.slidingLayers);
  });

  it('KV-cache decoding past the window gives the full forward logits (prefill 2 or 5, then one token at a time, with LoRA)', async () => {
    const model = createModel(config, weights());
    const adapter = LoraAdapter.create(model.linearModules, { r: 2, lora_alpha: 4, lora_dropout: 0, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'down_proj'] }, 3);
    for (const m of adapter.modules.values()) m.B.assign(tf.randomNormal(m.B.shape, 0, 0.5, 'float32', 11));
    const ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]; // 12 tokens, window 3
    const full = await logitsOf(model, ids, adapter);
    const before = tf.memory().numTensors;
    for (const prefill of [2, 5]) {
      const cache = new KvCache(model.dims.layers);
      const stepped: number[] = [];
      for (const chunk of [ids.slice(0, prefill), ...ids.slice(prefill).map((i) => [i])]) {
        const input = tf.tensor2d([chunk], [1, chunk.length], 'int32');
        const out = model.forward(input, { cache, lora: adapter });
        stepped.push(...(await out.data()));
        tf.dispose([input, out]);
      }
      cache.dispose();
      expect(scaledError(stepped, full), `prefill ${prefill}`).toBeLessThan(1e-5);
    }
    expect(tf.memory().numTensors).toBe(before);
    // A cache that ignored the window would differ: the same decode with the window opened up.
    const wide = createModel({ ...config, sliding_window: 100 }, weights());
    expect(scaledError(await logitsOf(wide, ids, null), await logitsOf(model, ids, null))).toBeGreaterThan(1e-3);
    wide.dispose();
    // generate() (cached, greedy) picks the tokens full recomputation picks.
    const prompt = [1, 4, 2, 7];
    const result = await generate(model, prompt, { maxNewTokens: 8, lora: adapter });
    const recomputed = [...prompt];
    for (let i = 0; i < 8; i++) {
      const logits = await logitsOf(model, recomputed, adapter);
      const last = logits.subarray((recomputed.length - 1) * config.vocab_size);
      recomputed.push(last.indexOf(Math.max(...last)));
    }
    expect(result.ids).toEqual(recomputed.slice(prompt.length));
    adapter.dispose();
    model.dispose();
  });

  it('padding: a right-padded row, and a left-padded row under its key mask, score like the unpadded sequence past the window', async () => {
    const model = createModel(config, weights());
    const V = config.vocab_size;
    const row = [3, 1, 4, 1, 5, 9, 2]; // 7 tokens, window 3
    const single = await logitsOf(model, row);
    const run = async (rows: number[][], mask?: number[][]) => {
      const ids = tf.tensor2d(Int32Array.from(rows.flat()), [rows.length, rows[0].length], 'int32');
      const keyMask = mask ? tf.tensor2d(mask.flat(), [rows.length, rows[0].length]) : null;
      const logits = model.forward(ids, { keyMask });
      const data = (await logits.data()) as Float32Array;
      tf.dispose([ids, logits, ...(keyMask ? [keyMask] : [])]);
      return data;
    };
    const right = await run([[...row, 0, 0], [1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    expect(scaledError(right.subarray(0, 7 * V), single)).toBeLessThan(1e-5);
    // Rotary and the window depend only on distances, so shifting every position by the padding changes nothing.
    const left = await run([[0, 0, ...row], [1, 2, 3, 4, 5, 6, 7, 8, 9]], [[0, 0, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1]]);
    expect(scaledError(left.subarray(2 * V, 9 * V), single)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('google/gemma-3-270m: 268,098,176 parameters, q/k/v/o/gate/up/down LoRA targets, tied head', () => {
    const config270m = parseModelConfig(GEMMA3_270M);
    const d = modelDims(config270m);
    expect(d).toMatchObject({ family: 'gemma3', vocabSize: 262144, hidden: 640, layers: 18, heads: 4, kvHeads: 1, headDim: 256, intermediate: 2048, tiedEmbeddings: true, ropeTheta: 1e6 });
    expect(d.gemma3).toMatchObject({ slidingWindow: 512, localRopeTheta: 1e4, attentionScale: 1 / 16, embedScale: Math.fround(Math.sqrt(640)) });
    const total = paramSpecs(d).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    expect(total).toBe(268_098_176); // 167,772,160 embedding + 18 × 5,573,632 + 640
    expect(paramSpecs(d).some((s) => s.name === 'lm_head.weight')).toBe(false);
    const layer0 = linearModules(d).filter((m) => m.module.startsWith('model.layers.0.'));
    expect(layer0.map((m) => [m.module.split('.').at(-1), m.inFeatures, m.outFeatures])).toEqual([
      ['q_proj', 640, 1024], ['k_proj', 640, 256], ['v_proj', 640, 256], ['o_proj', 1024, 640],
      ['gate_proj', 640, 2048], ['up_proj', 640, 2048], ['down_proj', 2048, 640],
    ]);
  });

  it.each([
    [{ ...GEMMA3_270M, final_logit_softcapping: 30 }, /final_logit_softcapping 30 is not implemented/],
    [{ ...GEMMA3_270M, attn_logit_softcapping: 50 }, /attn_logit_softcapping 50 is not implemented/],
    [{ ...GEMMA3_270M, rope_scaling: { factor: 8, rope_type: 'linear' } }, /rope_scaling .*linear/],
    [{ ...GEMMA3_270M, hidden_activation: 'gelu' }, /hidden_activation "gelu" is not implemented/],
    [{ ...GEMMA3_270M, use_bidirectional_attention: true }, /use_bidirectional_attention/],
    [{ ...GEMMA3_270M, rope_parameters: { full_attention: { rope_type: 'yarn', rope_theta: 1e6 } } }, /rope_type "yarn"/],
    [{ ...GEMMA3_270M, layer_types: [...GEMMA3_270M.layer_types!.slice(1), 'chunked_attention'] }, /layer 17 has layer type "chunked_attention"/],
    [{ architectures: ['Gemma3ForConditionalGeneration'], model_type: 'gemma3', text_config: { model_type: 'gemma3_text' } }, /Gemma 3's multimodal model \(Gemma3ForConditionalGeneration/],
    [{ architectures: ['Gemma2ForCausalLM'], model_type: 'gemma2' }, /Gemma 2 \(Gemma2ForCausalLM/],
    [{ architectures: ['Gemma3nForConditionalGeneration'], model_type: 'gemma3n' }, /Gemma 3n/],
  ] as [Record<string, unknown>, RegExp][])('refuses an unsupported variant by name: %#', (raw, message) => {
    let error: unknown;
    try {
      parseModelConfig(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedArchitectureError);
    expect((error as Error).message).toMatch(message);
  });

  it('reads transformers v5 rope_parameters per layer type', () => {
    const { rope_theta: _, rope_local_base_freq: __, ...rest } = GEMMA3_270M;
    const v5 = { ...rest, rope_parameters: { full_attention: { rope_type: 'default', rope_theta: 5e5 }, sliding_attention: { rope_type: 'default', rope_theta: 2e4 } } };
    const d = modelDims(parseModelConfig(v5) as ModelConfig);
    expect([d.ropeTheta, d.gemma3?.localRopeTheta]).toEqual([5e5, 2e4]);
  });
});
