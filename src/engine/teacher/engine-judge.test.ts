// The engine (likelihood) judge against log-likelihoods computed by hand on a tiny GPT: each next-token distribution from
// a full forward of its own prefix, log-softmax in float64 — not the batched, teacher-forced scorer the judge uses.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../backend/tf';
import { initBackend } from '../backend/init';
import { createModel, type CausalLM } from '../models/causal-lm';
import type { Gpt2Config } from '../models/config';
import { LoraAdapter } from '../lora/adapter';
import { logProbOf } from '../generate/sample';
import { CharTokenizer, buildCharTokenizerJson } from '../tokenizers';
import { JudgeInputError } from '../errors';
import { engineLikelihoodJudge } from './engine-likelihood';
import { LikelihoodJudge } from './engine-judge';
import type { ProducerId } from './port';

const tokenizer = new CharTokenizer(buildCharTokenizerJson([...'abcdefgh?: \n']));
const config: Gpt2Config = { model_type: 'gpt2', vocab_size: tokenizer.vocabSize, n_positions: 24, n_embd: 16, n_layer: 2, n_head: 2, layer_norm_epsilon: 1e-5 };
const producer: ProducerId = { engine: 'engine', model: 'tiny test gpt', sampling: { temperature: 0, maxNewTokens: 0 }, seed: 0 };

/** Σ log p(answer ids | prefix) by one forward per answer token of the whole prefix, in float64. */
async function byHand(model: CausalLM, prompt: string, answer: string, lora: LoraAdapter | null = null): Promise<{ sum: number; tokens: number }> {
  const p = tokenizer.encode(prompt);
  const a = tokenizer.encode(answer);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const prefix = [...p, ...a.slice(0, i)];
    const logits = model.logits(Int32Array.from(prefix), 1, prefix.length, lora); // [1, T, V]
    const last = tf.tidy(() => tf.slice(logits, [0, prefix.length - 1, 0], [1, 1, -1]));
    sum += logProbOf(await last.data(), a[i]);
    logits.dispose();
    last.dispose();
  }
  return { sum, tokens: a.length };
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('the engine likelihood judge', () => {
  const items = [
    { prompt: 'ab? ', a: 'cd', b: 'hhhgg' },
    { prompt: 'ga: ', a: 'e', b: 'fed' },
    { prompt: 'hh? ', a: 'abcabc', b: 'ab' },
    { prompt: 'c: ', a: 'dd', b: 'dd' },
  ];

  it('scores each answer as log p(answer + suffix | prompt), as computed by hand', async () => {
    const model = createModel(config, { seed: 3 });
    const judge = engineLikelihoodJudge({ model, tokenizer, producer, scoring: 'sum', answerSuffix: '\n' });
    const got = await judge.likelihoods(items.flatMap((it) => [{ prompt: it.prompt, answer: it.a }, { prompt: it.prompt, answer: it.b }]));
    let k = 0;
    for (const it of items) {
      for (const answer of [it.a, it.b]) {
        const want = await byHand(model, it.prompt, answer + '\n');
        expect(got[k].tokens).toBe(want.tokens);
        expect(got[k].sum).toBeCloseTo(want.sum, 4);
        expect(got[k].mean).toBeCloseTo(want.sum / want.tokens, 4);
        k++;
      }
    }
    model.dispose();
  });

  it('prefers the likelier answer, summed or per token, and both orders agree by construction', async () => {
    const model = createModel(config, { seed: 4 });
    for (const scoring of ['sum', 'mean'] as const) {
      const judge = engineLikelihoodJudge({ model, tokenizer, producer, scoring, answerSuffix: '\n' });
      const verdicts = await judge.pairwise(items);
      for (const [i, it] of items.entries()) {
        const [a, b] = [await byHand(model, it.prompt, it.a + '\n'), await byHand(model, it.prompt, it.b + '\n')];
        const [sa, sb] = scoring === 'sum' ? [a.sum, b.sum] : [a.sum / a.tokens, b.sum / b.tokens];
        const v = verdicts[i];
        expect(v.scoreA).toBeCloseTo(sa, 4);
        expect(v.scoreB).toBeCloseTo(sb, 4);
        const want = it.a === it.b ? 'tie' : sa > sb ? 'A' : 'B';
        expect(Math.abs(sa - sb) > 1e-4 || it.a === it.b).toBe(true); // the hand-computed gap is wide enough to decide
        expect(v.winner).toBe(want);
        expect(v.firstOrder).toBe(want);
        expect(v.swappedOrder).toBe(want);
        expect(v.consistent).toBe(true);
        expect(v.producer).toEqual(producer);
      }
    }
    model.dispose();
  });

  it('judges with the fine-tuned model when given its adapter (its own likelihoods, not the base\'s)', async () => {
    const model = createModel(config, { seed: 5 });
    const adapter = LoraAdapter.create(model.linearModules, { r: 2, lora_alpha: 4, lora_dropout: 0, target_modules: ['c_attn'] }, 3);
    for (const m of adapter.modules.values()) m.B.assign(tf.randomNormal(m.B.shape, 0, 0.5, 'float32', 11));
    const judge = engineLikelihoodJudge({ model, lora: adapter, tokenizer, producer, scoring: 'sum', answerSuffix: '\n' });
    const [got] = await judge.likelihoods([{ prompt: 'ab? ', answer: 'cd' }]);
    const tuned = await byHand(model, 'ab? ', 'cd\n', adapter);
    const base = await byHand(model, 'ab? ', 'cd\n');
    expect(got.sum).toBeCloseTo(tuned.sum, 4);
    expect(Math.abs(tuned.sum - base.sum)).toBeGreaterThan(1e-3);
    adapter.dispose();
    model.dispose();
  });

  it('summed likelihood favours the shorter answer where per-token likelihood does not (a bias it measures)', async () => {
    // A scorer with a fixed log-probability per answer token: the long answer is likelier per token but not in sum.
    const perToken = (ids: number[]) => (ids.includes(tokenizer.encode('a')[0]) ? -1 : -2);
    const score = async (sequences: number[][]) => sequences.map((ids) => ({ logprobs: ids.map((_, t) => (t === 0 ? 0 : perToken(ids))) }));
    const encode = (text: string) => tokenizer.encode(text);
    const pair = [{ prompt: 'q: ', a: 'aaaa', b: 'bc' }];
    const summed = await new LikelihoodJudge({ producer, encode, score, scoring: 'sum' }).pairwise(pair);
    const mean = await new LikelihoodJudge({ producer, encode, score, scoring: 'mean' }).pairwise(pair);
    expect([summed[0].scoreA, summed[0].scoreB]).toEqual([-4, -4]); // 4 × −1 against 2 × −2: a tie in sum
    expect(summed[0].winner).toBe('tie');
    expect(mean[0].winner).toBe('A');
    const shorter = await new LikelihoodJudge({ producer, encode, score, scoring: 'sum' }).pairwise([{ prompt: 'q: ', a: 'aaaaa', b: 'bc' }]);
    expect(shorter[0].winner).toBe('B');
  });

  it('cuts a long prompt from the left to fit the context, and refuses what cannot be judged, naming the item', async () => {
    const model = createModel(config, { seed: 6 });
    const judge = engineLikelihoodJudge({ model, tokenizer, producer, scoring: 'sum' });
    const long = 'abcdefgh'.repeat(4); // 32 tokens, context 24
    const [got] = await judge.likelihoods([{ prompt: long, answer: 'cd' }]);
    const want = await byHand(model, long.slice(long.length - 22), 'cd');
    expect(got.sum).toBeCloseTo(want.sum, 4);
    await expect(judge.likelihoods([{ prompt: 'a', answer: 'b' }, { prompt: 'a', answer: '' }])).rejects.toThrow(/Answer 2 is empty/);
    await expect(judge.likelihoods([{ prompt: 'a', answer: 'abcdefgh'.repeat(3) }])).rejects.toBeInstanceOf(JudgeInputError);
    await expect(judge.likelihoods([{ prompt: '', answer: 'b' }])).rejects.toThrow(/Prompt 1 is empty/);
    model.dispose();
  });
});
