// Embedding tables split into row chunks (as a 151k-token vocabulary must be on a 128 MiB-binding GPU), forced here by a
// small buffer limit on the tiny Hub fixtures: logits match the float64 reference and the unsplit model, training too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { tf } from '../backend/tf';
import { GpuMemoryError } from '../errors';
import { loadCheckpoint, type LoadedCheckpoint } from '../hub/load';
import { HubSource } from '../hub/source';
import { FIXTURES_DIR, TEST_ENDPOINT, fakeHub } from '../hub/testing/fixture-server';
import { createTrainer } from '../train/trainer';
import { defaultTrainOptions, type TrainOptions } from '../train/options';
import { createModel, type CausalLM } from './causal-lm';
import { modelDims } from './dims';
import { paramSpecs } from './params';
import { rowChunkSizes } from './row-chunks';

const golden = JSON.parse(readFileSync(join(FIXTURES_DIR, 'golden.json'), 'utf8')) as { ids: number[]; checkpoints: Record<string, number[][]> };

const load = (repo: string) => loadCheckpoint(new HubSource({ repo, endpoint: TEST_ENDPOINT, fetch: fakeHub().fetch }));

/** The largest weight that is not an embedding table: the smallest limit at which the model still loads. */
function largestOtherWeight(loaded: LoadedCheckpoint): number {
  const tables = ['transformer.wte.weight', 'model.embed_tokens.weight', 'lm_head.weight'];
  return Math.max(...paramSpecs(modelDims(loaded.config)).filter((s) => !tables.includes(s.name)).map((s) => 4 * s.shape.reduce((a, b) => a * b, 1)));
}

function logits(model: CausalLM): Float32Array {
  const t = model.logits(Int32Array.from(golden.ids), 1, golden.ids.length);
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
}

function maxAbsDiff(a: Float32Array, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('row-chunked embedding tables', () => {
  it('plans chunks under the limit and refuses a row that no buffer holds', () => {
    expect(rowChunkSizes('t', 10, 4, 1000)).toEqual([10]);
    expect(rowChunkSizes('t', 10, 4, 48)).toEqual([3, 3, 3, 1]);
    // Qwen2.5-0.5B's embedding (519 MiB) on a 128 MiB binding limit: 37,449 rows of 3,584 bytes per chunk.
    expect(rowChunkSizes('model.embed_tokens.weight', 151936, 896, 128 * 2 ** 20)).toEqual([37449, 37449, 37449, 37449, 2140]);
    expect(() => rowChunkSizes('model.embed_tokens.weight', 10, 64, 100)).toThrow(/One row of model.embed_tokens.weight \(64 float32 values, 256 bytes\)/);
  });

  for (const repo of ['tunelab-test/tiny-gpt2', 'tunelab-test/tiny-qwen2', 'tunelab-test/tiny-llama']) {
    it(`${repo}: split tables give the unsplit logits and the float64 reference's`, async () => {
      const loaded = await load(repo);
      const limit = largestOtherWeight(loaded);
      const whole = createModel(loaded.config, loaded.weights, { maxBufferBytes: Infinity });
      const split = createModel(loaded.config, loaded.weights, { maxBufferBytes: limit });
      expect(whole.splitTables.size).toBe(0);
      expect(split.splitTables.size).toBeGreaterThan(0);
      for (const table of split.splitTables.values()) {
        expect(table.chunks.length).toBeGreaterThan(1);
        for (const c of table.chunks) expect(4 * c.rows * table.shape[1]).toBeLessThanOrEqual(limit);
        expect(table.chunks.reduce((n, c) => n + c.rows, 0)).toBe(table.shape[0]);
      }
      const before = tf.memory().numTensors;
      const a = logits(whole);
      const b = logits(split);
      expect(tf.memory().numTensors).toBe(before);
      expect(maxAbsDiff(b, a)).toBeLessThan(1e-6);
      const reference = golden.checkpoints[repo].flat();
      expect(maxAbsDiff(b, reference) / Math.max(...reference.map(Math.abs))).toBeLessThan(1e-4);
      // The weights come back joined under their HF names, and assign back through the chunks.
      const exported = split.exportWeights();
      expect([...exported.keys()].sort()).toEqual([...whole.exportWeights().keys()].sort());
      for (const [name, w] of whole.exportWeights()) expect(exported.get(name)?.data).toEqual(w.data);
      split.assignWeights(whole.exportWeights());
      expect(maxAbsDiff(logits(split), a)).toBeLessThan(1e-6);
      whole.dispose();
      split.dispose();
    });
  }

  it('full fine-tuning trains a split embedding as it trains the whole one (gather gradient across chunks)', async () => {
    const loaded = await load('tunelab-test/tiny-qwen2');
    const examples = [
      { id: 'a', ids: [264, 5, 40, 70, 120, 266], weights: [0, 1, 1, 1, 1, 1] },
      { id: 'b', ids: [264, 200, 3, 90, 250, 266], weights: [0, 0, 1, 1, 1, 1] },
    ];
    const options: TrainOptions = { ...defaultTrainOptions, method: 'full', lr: 1e-2, maxSteps: 2, batchSize: 2, seed: 3, maxSeqLen: 8 };
    const results = [];
    for (const maxBufferBytes of [Infinity, largestOtherWeight(loaded)]) {
      const model = createModel(loaded.config, loaded.weights, { maxBufferBytes });
      const trainer = createTrainer(model, examples, options);
      const losses = [(await trainer.step()).loss, (await trainer.step()).loss];
      results.push({ losses, weights: model.exportWeights() });
      trainer.dispose();
      model.dispose();
    }
    const [whole, split] = results;
    expect(split.losses[0]).toBeCloseTo(whole.losses[0], 5);
    expect(split.losses[1]).toBeCloseTo(whole.losses[1], 5);
    for (const name of ['model.embed_tokens.weight', 'lm_head.weight']) {
      const w = whole.weights.get(name)!.data;
      const moved = maxAbsDiff(w, loaded.weights.get(name)!.data);
      expect(moved).toBeGreaterThan(1e-4); // the rows of the ids above were trained
      expect(maxAbsDiff(split.weights.get(name)!.data, w)).toBeLessThan(1e-5);
    }
  });

  it('refuses, before touching the GPU, a weight that is not a table and exceeds the limit', async () => {
    const loaded = await load('tunelab-test/tiny-qwen2');
    expect(() => createModel(loaded.config, loaded.weights, { maxBufferBytes: 1024 })).toThrow(GpuMemoryError);
    expect(() => createModel(loaded.config, loaded.weights, { maxBufferBytes: 1024 })).toThrow(/model\.layers\.0\.mlp\.gate_proj\.weight \[24, 16\] needs 1\.5 KiB in one GPU buffer, over this GPU's limit of 1\.0 KiB .*Only embedding tables can be split/);
  });
});
