// The retrieval job end to end on a tiny GPT-2 loaded as the worker's model: base scores, LoRA training with the validation
// curve, tuned scores with paired differences; full fine-tuning gives the loaded model its weights back; cancel stops it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/engine/backend/init';
import { createModel } from '../src/engine/models/causal-lm';
import type { Gpt2Config } from '../src/engine/models/config';
import { buildCharTokenizerJson } from '../src/engine/tokenizers/char-tokenizer-json';
import { loadTokenizer } from '../src/engine/tokenizers';
import type { RetrievalJobInput, RetrievalProgress } from '../src/contract';
import { setLoadedModel } from './helpers/loaded-model';
import type { LoadedModel } from './helpers/loaded-model';
import { retrievalJob } from './jobs/retrieval';

const config: Gpt2Config = { model_type: 'gpt2', vocab_size: 40, n_positions: 48, n_embd: 16, n_layer: 1, n_head: 2, layer_norm_epsilon: 1e-5 };
const docs = { fruit: 'fruit and apples', cars: 'cars and bikes', pets: 'dogs and cats', tools: 'hammers and saws' };
const input = (steps: number, method: 'lora' | 'full' = 'lora'): RetrievalJobInput => ({
  model: { kind: 'loaded' },
  corpus: Object.entries(docs).map(([_id, text]) => ({ _id, text })),
  pairs: [
    { anchor: 'red apple', positive: docs.fruit },
    { anchor: 'fast car', positive: docs.cars },
    { anchor: 'small dog', positive: docs.pets },
    { anchor: 'big hammer', positive: docs.tools },
    { anchor: 'green pear', positive: docs.fruit },
    { anchor: 'blue bike', positive: docs.cars },
  ],
  validation: { queries: [{ _id: 'v1', text: 'ripe plum' }, { _id: 'v2', text: 'old truck' }], qrels: [['v1', 'fruit', 1], ['v2', 'cars', 1]] },
  test: {
    queries: [{ _id: 'q1', text: 'sweet apple' }, { _id: 'q2', text: 'cute cat' }, { _id: 'q3', text: 'sharp saw' }, { _id: 'q4', text: 'nothing judged' }],
    qrels: [['q1', 'fruit', 1], ['q2', 'pets', 1], ['q3', 'tools', 2], ['q4', 'cars', 0]],
  },
  hyper: { method, rank: 4, learningRate: method === 'full' ? 3e-3 : 1e-2, steps, batchSize: 4, scale: 20, symmetric: false, pooling: 'mean', evalEvery: 2, seed: 0 },
});

let loaded: LoadedModel;
beforeAll(async () => {
  await initBackend('cpu');
  loaded = { checkpoint: {} as LoadedModel['checkpoint'], model: createModel(config, { seed: 4 }), tokenizer: loadTokenizer(buildCharTokenizerJson([...'abcdefghijklmnopqrstuvwxyz '])) };
  setLoadedModel(loaded);
});

describe('retrievalJob', () => {
  it('scores the base, trains with a validation curve, scores the tuned model with paired differences', async () => {
    const events: RetrievalProgress[] = [];
    const r = await retrievalJob(input(4), new AbortController().signal, (p) => events.push(p));
    expect(r.status).toBe('completed');
    expect(r.steps).toBe(4);
    expect(r.queries).toBe(3);
    expect(r.droppedQueries).toBe(1);
    expect(r.tuned).not.toBeNull();
    expect(r.differences!['recall@1'].mean).toBeCloseTo(r.tuned!.scores['recall@1'].value - r.base.scores['recall@1'].value, 12);
    expect(r.curve.filter((p) => p.loss !== undefined).map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(r.curve.filter((p) => p.recallAt1 !== undefined).map((p) => p.step)).toEqual([0, 2, 4]);
    expect(r.comparisons.map((c) => c.id)).toEqual(['q1', 'q2', 'q3']);
    expect(events.map((e) => e.phase)).toContain('tuned');
    expect(events.at(-2)!.etaSec).not.toBeNull();
  });

  it('0 steps scores the base alone', async () => {
    const r = await retrievalJob(input(0), new AbortController().signal, () => {});
    expect(r.tuned).toBeNull();
    expect(r.base.perQuery).toHaveLength(3);
  });

  it('full fine-tuning leaves the loaded model as it was', async () => {
    const before = loaded.model.exportWeights();
    const r = await retrievalJob(input(2, 'full'), new AbortController().signal, () => {});
    expect(r.steps).toBe(2);
    const after = loaded.model.exportWeights();
    for (const [name, w] of before) expect(after.get(name)!.data).toEqual(w.data);
  });

  it('cancel stops training and reports the steps done', async () => {
    const controller = new AbortController();
    const r = await retrievalJob(input(1000), controller.signal, (p) => {
      if (p.phase === 'train' && p.step >= 1) controller.abort();
    });
    expect(r.status).toBe('cancelled');
    expect(r.steps).toBe(1);
    expect(r.tuned).not.toBeNull();
  });

  it('a sentence-transformers BERT encoder from local files embeds and fine-tunes through the same job', async () => {
    const root = resolve(__dirname, '../src/engine/hub/fixtures/tunelab-test/tiny-bert-st');
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
    const files = walk(root).map((path) => ({ name: path.split('/').pop()!, webkitRelativePath: `tiny-bert-st/${relative(root, path)}`, arrayBuffer: async () => new Uint8Array(readFileSync(path)).buffer }));
    const r = await retrievalJob({ ...input(2), model: { kind: 'encoder-files', files: files as unknown as File[], name: 'tiny-bert-st' } }, new AbortController().signal, () => {});
    expect(r.steps).toBe(2);
    expect(r.tuned).not.toBeNull();
    expect(r.curve.filter((p) => p.loss !== undefined)).toHaveLength(2);
  });
});
