// BertEmbedder against the float64 reference (tokenize → pool → normalise, LoRA), CausalLmEmbedder's pooling, and both gradients by finite differences.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { tf, type Tensor } from '../backend/tf';
import { LoraAdapter } from '../lora/adapter';
import { createBertModel, type BertModel } from '../models/bert';
import { createModel } from '../models/causal-lm';
import type { Gpt2Config, LlamaConfig } from '../models/config';
import { bertGolden as golden, tinyBertConfig, tinyBertJson, tinyBertWeights, weightMapOf } from '../models/testing/bert-fixture';
import { Rng } from '../rng';
import { buildCharTokenizerJson, loadTokenizer } from '../tokenizers';
import { scaledError } from '../train/golden-check';
import { BertEmbedder } from './bert-embedder';
import { CausalLmEmbedder } from './causal-lm-embedder';
import { runBertGoldenChecks } from './bert-golden-check';
import type { EmbedBatch, Embedder } from './embedder';

beforeAll(async () => {
  await initBackend('cpu');
});

const tokenizer = () => loadTokenizer(tinyBertJson('tokenizer.json') as object, tinyBertJson('tokenizer_config.json') as object);

function run(embedder: Embedder, texts: readonly string[], lora: LoraAdapter | null = null): Float32Array {
  const batch = embedder.tokenize(texts);
  const e = embedder.embed(batch, lora);
  expect(e.shape).toEqual([texts.length, embedder.dimension]);
  const out = e.dataSync() as Float32Array;
  tf.dispose([batch.ids, batch.mask, e]);
  return out;
}

function goldenAdapter(model: BertModel): LoraAdapter {
  const { weights, ...config } = golden.adapter;
  return LoraAdapter.fromWeights(model.linearModules, config, weightMapOf(weights));
}

describe('BertEmbedder', () => {
  it('tokenizes to [CLS] … [SEP], right-padded, as an independent WordPiece does', () => {
    const model = createBertModel(tinyBertConfig(), tinyBertWeights());
    const embedder = new BertEmbedder(model, tokenizer(), { pooling: 'mean', normalize: true, maxLength: 16 });
    const batch = embedder.tokenize(golden.texts);
    expect(batch.ids.arraySync()).toEqual(golden.ids);
    expect(batch.mask.arraySync()).toEqual(golden.mask);
    tf.dispose([batch.ids, batch.mask]);
    model.dispose();
  });

  it('cuts long texts to maxLength and keeps [SEP]', () => {
    const model = createBertModel(tinyBertConfig(), tinyBertWeights());
    const embedder = new BertEmbedder(model, tokenizer(), { pooling: 'mean', normalize: true, maxLength: 16 });
    const batch = embedder.tokenize([golden.texts[0]], 5);
    expect(batch.ids.arraySync()).toEqual([[...golden.ids[0].slice(0, 4), 4]]);
    const long = embedder.tokenize(['the '.repeat(40)]);
    expect(long.ids.shape).toEqual([1, 16]);
    expect((long.ids.arraySync() as number[][])[0][15]).toBe(4);
    tf.dispose([batch.ids, batch.mask, long.ids, long.mask]);
    model.dispose();
  });

  it.each([
    ['mean', false, 'mean'],
    ['mean', true, 'meanNormalized'],
    ['cls', false, 'cls'],
    ['cls', true, 'clsNormalized'],
  ] as const)('%s pooling, normalize %s: the reference embeddings of a padded batch (scaled error ≤ 1e-4)', (pooling, normalize, key) => {
    const model = createBertModel(tinyBertConfig(), tinyBertWeights());
    const embedder = new BertEmbedder(model, tokenizer(), { pooling, normalize });
    const before = tf.memory().numTensors;
    expect(scaledError(run(embedder, golden.texts), golden.base[key])).toBeLessThan(1e-4);
    const adapter = goldenAdapter(model);
    expect(scaledError(run(embedder, golden.texts, adapter), golden.withLora[key])).toBeLessThan(1e-4);
    adapter.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('embeds a text the same alone as inside a padded batch', () => {
    const model = createBertModel(tinyBertConfig(), tinyBertWeights());
    const embedder = new BertEmbedder(model, tokenizer(), { pooling: 'mean', normalize: true });
    const alone = run(embedder, [golden.texts[1]]);
    const inBatch = run(embedder, golden.texts).slice(embedder.dimension, 2 * embedder.dimension);
    expect(scaledError(alone, inBatch)).toBeLessThan(1e-5);
    model.dispose();
  });
});

describe('runBertGoldenChecks (what the Chromium self-test runs)', () => {
  it('passes on Node CPU at 1e-4 and checks every output', async () => {
    const report = await runBertGoldenChecks(tinyBertConfig(), tinyBertWeights(), tinyBertJson('tokenizer.json') as object, golden);
    expect(report.checks.map((c) => c.what)).toHaveLength(7);
    for (const c of report.checks) expect(c.error, c.what).toBeLessThan(1e-4);
  });
});

const gpt2: Gpt2Config = { model_type: 'gpt2', vocab_size: 12, n_positions: 16, n_embd: 8, n_layer: 2, n_head: 2, layer_norm_epsilon: 1e-5 };
const qwen: LlamaConfig = { model_type: 'qwen2', vocab_size: 12, hidden_size: 8, intermediate_size: 12, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1, rms_norm_eps: 1e-6, max_position_embeddings: 16 };
const charTokenizer = () => loadTokenizer(buildCharTokenizerJson(['a', 'b', 'c', 'd', 'e', ' ', '.', 'x', 'y']));

describe('CausalLmEmbedder', () => {
  it('last-token pooling reads the last real token (EOS appended) under right padding', () => {
    const model = createModel(gpt2, { seed: 1 });
    const tok = charTokenizer();
    const embedder = new CausalLmEmbedder(model, tok, { pooling: 'last', normalize: false });
    const batch = embedder.tokenize(['abc', 'a']);
    expect(batch.ids.arraySync()).toEqual([[...tok.encode('abc'), tok.eosId], [...tok.encode('a'), tok.eosId, tok.padId, tok.padId]]);
    const e = embedder.embed(batch).arraySync() as number[][];
    // Independently: the final hidden state of each text alone, at its last position.
    for (const [b, text] of ['abc', 'a'].entries()) {
      const ids = [...tok.encode(text), tok.eosId as number];
      const h = model.hidden(tf.tensor2d(ids, [1, ids.length], 'int32')).arraySync() as number[][];
      expect(scaledError(e[b], h[ids.length - 1])).toBeLessThan(1e-5);
    }
    tf.dispose([batch.ids, batch.mask]);
    model.dispose();
  });

  it('mean pooling averages the real tokens only', () => {
    const model = createModel(qwen, { seed: 2 });
    const tok = charTokenizer();
    const embedder = new CausalLmEmbedder(model, tok, { pooling: 'mean', normalize: true });
    expect(embedder.normalize).toBe(true);
    const batch = embedder.tokenize(['ab. ', 'e']);
    const e = embedder.embed(batch).arraySync() as number[][];
    const ids = tok.encode('e');
    const h = model.hidden(tf.tensor2d(ids, [1, ids.length], 'int32')).arraySync() as number[][];
    const mean = h[0].map((_, j) => h.reduce((s, row) => s + row[j], 0) / h.length);
    const norm = Math.hypot(...mean);
    expect(scaledError(e[1], mean.map((v) => v / norm))).toBeLessThan(1e-5);
    expect(Math.hypot(...e[0])).toBeCloseTo(1, 5);
    tf.dispose([batch.ids, batch.mask]);
    model.dispose();
  });

  it('refuses CLS pooling', () => {
    const model = createModel(gpt2, { seed: 1 });
    expect(() => new CausalLmEmbedder(model, charTokenizer(), { pooling: 'cls' })).toThrow(/no \[CLS\]/);
    model.dispose();
  });
});

/**
 * Central finite differences of L = Σ e·w (e the [B, H] embeddings, w a fixed random [B, H]) against tfjs's gradient
 * of L with respect to every LoRA A and B, at random entries.
 */
function checkLoraGradients(embedder: Embedder, batch: EmbedBatch, adapter: LoraAdapter): void {
  checkGradients(embedder, batch, adapter, adapter.namedVariables());
}

/** The same check for any variables the embedding depends on (the model's own weights in full fine-tuning). */
function checkGradients(embedder: Embedder, batch: EmbedBatch, adapter: LoraAdapter | null, variables: [string, tf.Variable][]): void {
  const w = tf.randomNormal([batch.ids.shape[0] as number, embedder.dimension], 0, 1, 'float32', 7);
  const loss = () => tf.sum(tf.mul(embedder.embed(batch, adapter), w)) as tf.Scalar;
  const value = () => tf.tidy(() => loss().dataSync()[0]);
  const { value: v0, grads } = tf.variableGrads(loss, variables.map(([, v]) => v));
  v0.dispose();
  const rng = new Rng(3);
  const h = 1e-2;
  let magnitude = 0;
  let checked = 0;
  for (const [name, v] of variables) {
    const analytic = grads[v.name].dataSync();
    const original = v.dataSync().slice() as Float32Array;
    for (let k = 0; k < 2; k++) {
      const i = rng.int(original.length);
      const set = (x: number) => {
        const p = original.slice();
        p[i] = x;
        const t = tf.tensor(p, v.shape);
        v.assign(t);
        t.dispose();
      };
      set(original[i] + h);
      const up = value();
      set(original[i] - h);
      const down = value();
      set(original[i]);
      const numeric = (up - down) / (2 * h);
      expect(Math.abs(numeric - analytic[i]), `${name}[${i}]: numeric ${numeric} vs analytic ${analytic[i]}`).toBeLessThan(3e-3 + 2e-2 * Math.abs(analytic[i]));
      magnitude += Math.abs(analytic[i]);
      checked++;
    }
  }
  // The tolerance means something only if the gradients are well above it.
  expect(magnitude / checked).toBeGreaterThan(3e-2);
  tf.dispose([w, ...Object.values(grads) as Tensor[]]);
}

describe('gradients under LoRA match central finite differences', () => {
  it('BertEmbedder (mean pooling, normalised, padded batch)', () => {
    const model = createBertModel(tinyBertConfig(), tinyBertWeights());
    const embedder = new BertEmbedder(model, tokenizer(), { pooling: 'mean', normalize: true });
    const adapter = goldenAdapter(model);
    const batch = embedder.tokenize(golden.texts.slice(0, 3));
    checkLoraGradients(embedder, batch, adapter);
    tf.dispose([batch.ids, batch.mask]);
    adapter.dispose();
    model.dispose();
  });

  it('BertEmbedder in full fine-tuning: embeddings, LayerNorm, attention and FFN weights, token types', () => {
    const model = createBertModel(tinyBertConfig(), tinyBertWeights());
    const embedder = new BertEmbedder(model, tokenizer(), { pooling: 'cls', normalize: true });
    const batch = embedder.tokenize(golden.texts.slice(0, 3));
    const names = ['embeddings.word_embeddings.weight', 'embeddings.token_type_embeddings.weight', 'embeddings.LayerNorm.weight', 'encoder.layer.0.attention.self.key.weight', 'encoder.layer.0.attention.output.LayerNorm.bias', 'encoder.layer.1.intermediate.dense.bias', 'encoder.layer.1.output.dense.weight'];
    checkGradients(embedder, batch, null, names.map((n) => [n, model.variable(n)]));
    tf.dispose([batch.ids, batch.mask]);
    model.dispose();
  });

  it.each([['gpt2', 'last'], ['qwen2', 'mean']] as const)('CausalLmEmbedder on %s (%s pooling)', (family, pooling) => {
    const model = createModel(family === 'gpt2' ? gpt2 : qwen, { seed: 4 });
    for (const [, v] of model.namedVariables()) {
      const big = tf.tidy(() => tf.mul(v, v.rank === 2 ? 10 : 1)); // larger weights, so the outputs are far from flat
      v.assign(big);
      big.dispose();
    }
    const targets = family === 'gpt2' ? ['c_attn', 'c_fc'] : ['q_proj', 'v_proj', 'up_proj'];
    const adapter = LoraAdapter.create(model.linearModules, { r: 2, lora_alpha: 2, lora_dropout: 0, target_modules: targets }, 5);
    for (const m of adapter.modules.values()) {
      const b = tf.randomNormal(m.B.shape, 0, 0.3, 'float32', 6);
      m.B.assign(b);
      b.dispose();
    }
    const embedder = new CausalLmEmbedder(model, charTokenizer(), { pooling, normalize: false });
    const batch = embedder.tokenize(['abc d.', 'xy', 'e e']);
    checkLoraGradients(embedder, batch, adapter);
    tf.dispose([batch.ids, batch.mask]);
    adapter.dispose();
    model.dispose();
  });
});
