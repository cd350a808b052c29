// The contrastive trainer: batches never repeat a text, LoRA and full fine-tuning lower the ranking loss on a tiny model, bad data refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { DatasetParseError } from '../errors';
import { createModel } from '../models/causal-lm';
import type { Gpt2Config } from '../models/config';
import { buildCharTokenizerJson } from '../tokenizers/char-tokenizer-json';
import { loadTokenizer } from '../tokenizers';
import { CausalLmEmbedder } from './causal-lm-embedder';
import { createContrastiveTrainer, NoDuplicatesBatches, type ContrastiveOptions } from './contrastive-trainer';

const config: Gpt2Config = { model_type: 'gpt2', vocab_size: 40, n_positions: 32, n_embd: 16, n_layer: 1, n_head: 2, layer_norm_epsilon: 1e-5 };
const pairs = [
  { anchor: 'red apple', positive: 'fruit' },
  { anchor: 'green pear', positive: 'fruit' },
  { anchor: 'blue car', positive: 'vehicle' },
  { anchor: 'fast bike', positive: 'vehicle' },
  { anchor: 'big dog', positive: 'animal' },
  { anchor: 'small cat', positive: 'animal' },
];
const base: ContrastiveOptions = { method: 'lora', lora: { r: 4, lora_alpha: 8, lora_dropout: 0, target_modules: ['c_attn', 'c_fc'] }, lr: 1e-2, weightDecay: 0, betas: [0.9, 0.999], eps: 1e-8, warmupSteps: 0, schedule: 'constant', maxSteps: 30, batchSize: 3, maxGradNorm: 1, seed: 0 };

beforeAll(async () => {
  await initBackend('cpu');
});

describe('NoDuplicatesBatches', () => {
  it('never puts one text twice in a batch and covers every pair each epoch', () => {
    const b = new NoDuplicatesBatches(pairs, 3);
    const seen = new Map<number, number>();
    for (let i = 0; i < 20; i++) {
      const batch = b.next(3);
      expect(batch.length).toBe(3);
      expect(new Set(batch.map((j) => pairs[j].positive)).size).toBe(3);
      for (const j of batch) seen.set(j, (seen.get(j) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
  });
  it('gives a smaller batch when the data has fewer distinct positives than the batch size', () => {
    const b = new NoDuplicatesBatches(pairs, 1);
    for (let i = 0; i < 5; i++) expect(b.next(5).length).toBe(3);
  });
});

describe.each(['lora', 'full'] as const)('%s', (method) => {
  it('lowers the ranking loss', async () => {
    const model = createModel(config, { seed: 2 });
    const embedder = new CausalLmEmbedder(model, loadTokenizer(buildCharTokenizerJson([...'abcdefghijklmnopqrstuvwxyz '])));
    const trainer = createContrastiveTrainer(embedder, pairs, { ...base, method, lr: method === 'full' ? 3e-3 : 1e-2 });
    const losses: number[] = [];
    for (let i = 0; i < 30; i++) losses.push((await trainer.step()).loss);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-6))).toBeLessThan(mean(losses.slice(0, 6)) * 0.7);
    expect((await trainer.trainedWeights()).size).toBe(method === 'lora' ? 4 : model.namedVariables().length);
    trainer.dispose();
    model.dispose();
  });
});

it('refuses a batch of one and mixed hard negatives', () => {
  const model = createModel(config, { seed: 2 });
  const embedder = new CausalLmEmbedder(model, loadTokenizer(buildCharTokenizerJson([...'abcdefghijklmnopqrstuvwxyz '])));
  expect(() => createContrastiveTrainer(embedder, pairs, { ...base, batchSize: 1 })).toThrow(DatasetParseError);
  expect(() => createContrastiveTrainer(embedder, [{ ...pairs[0], negative: 'x' }, pairs[1]], base)).toThrow(/pair 2 has none/);
  model.dispose();
});
