// Runs BertModel and BertEmbedder against the float64 PyTorch fixture (hidden states, pair token types, pooled embeddings, LoRA) and reports errors.
import { tf } from '../backend/tf';
import { LoraAdapter } from '../lora/adapter';
import type { LoraConfig } from '../lora/config';
import { createBertModel } from '../models/bert';
import type { BertConfig } from '../models/bert-config';
import type { WeightMap } from '../models/config';
import { loadTokenizer } from '../tokenizers/load';
import { scaledError, type GoldenCheck, type GoldenReport } from '../train/golden-check';
import { BertEmbedder } from './bert-embedder';
import type { Pooling } from './embedder';

interface PlainArray {
  shape: number[];
  data: number[];
}

/** Flattened [B, T, H] / [B, H] outputs of the float64 reference. */
export interface BertGoldenOutputs {
  hidden: number[];
  mean: number[];
  cls: number[];
  meanNormalized: number[];
  clsNormalized: number[];
}

/** src/engine/models/fixtures/bert-tiny.golden.json (scripts/golden/make_bert_fixtures.py). */
export interface BertGoldenFixture {
  texts: string[];
  /** What a plain greedy WordPiece (the script's own) gives for `texts`, right-padded; mask 1 on real tokens. */
  ids: number[][];
  mask: number[][];
  adapter: LoraConfig & { weights: Record<string, PlainArray> };
  pair: { ids: number[][]; tokenTypeIds: number[][]; hidden: number[] };
  base: BertGoldenOutputs;
  withLora: BertGoldenOutputs;
}

const weightMapOf = (record: Record<string, PlainArray>): WeightMap => new Map(Object.entries(record).map(([name, t]) => [name, { shape: t.shape, data: Float32Array.from(t.data) }]));

/** The tiny checkpoint's config, weights and tokenizer.json against its golden numbers; reads back asynchronously (WebGPU-safe). */
export async function runBertGoldenChecks(config: BertConfig, weights: WeightMap, tokenizerJson: object, golden: BertGoldenFixture): Promise<GoldenReport> {
  const checks: GoldenCheck[] = [];
  const model = createBertModel(config, weights);
  const { weights: adapterWeights, ...loraConfig } = golden.adapter;
  const adapter = LoraAdapter.fromWeights(model.linearModules, loraConfig, weightMapOf(adapterWeights));
  const tokenizer = loadTokenizer(tokenizerJson);
  try {
    const [B, T] = [golden.ids.length, golden.ids[0].length];
    const ids = tf.tensor2d(golden.ids.flat(), [B, T], 'int32');
    const mask = tf.tensor2d(golden.mask.flat(), [B, T], 'int32');
    for (const [what, lora, want] of [['last hidden state, padded batch', null, golden.base.hidden], ['last hidden state with LoRA', adapter, golden.withLora.hidden]] as const) {
      const h = model.forward(ids, mask, { lora });
      checks.push({ what, error: scaledError(await h.data(), want) });
      h.dispose();
    }
    const pairIds = tf.tensor2d(golden.pair.ids.flat(), [1, golden.pair.ids[0].length], 'int32');
    const types = tf.tensor2d(golden.pair.tokenTypeIds.flat(), [1, golden.pair.ids[0].length], 'int32');
    const ones = tf.onesLike(pairIds);
    const pair = model.forward(pairIds, ones, { tokenTypeIds: types });
    checks.push({ what: 'sentence pair with token types', error: scaledError(await pair.data(), golden.pair.hidden) });
    tf.dispose([ids, mask, pairIds, types, ones, pair]);
    const cases: [Pooling, boolean, keyof BertGoldenOutputs][] = [['mean', true, 'meanNormalized'], ['cls', false, 'cls']];
    for (const [pooling, normalize, key] of cases) {
      const embedder = new BertEmbedder(model, tokenizer, { pooling, normalize });
      const batch = embedder.tokenize(golden.texts);
      for (const [label, lora, want] of [['', null, golden.base[key]], [' with LoRA', adapter, golden.withLora[key]]] as const) {
        const e = embedder.embed(batch, lora);
        checks.push({ what: `texts → ${key} embeddings${label}`, error: scaledError(await e.data(), want) });
        e.dispose();
      }
      tf.dispose([batch.ids, batch.mask]);
    }
  } finally {
    adapter.dispose();
    model.dispose();
  }
  return { name: 'bert', checks, maxError: Math.max(...checks.map((c) => c.error)) };
}
