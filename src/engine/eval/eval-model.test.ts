// The engine adapter's batched paths against its one-sequence ones on a small seed-initialised GPT-2 (tfjs CPU).
import { beforeAll, expect, test } from 'vitest';
import { initBackend } from '../backend/init';
import { createModel } from '../models/causal-lm';
import { seedBaseConfig } from '../experiments/base';
import { Rng } from '../rng';
import { evalModelOf, greedyPromptIds } from './eval-model';

beforeAll(async () => {
  await initBackend('cpu');
});

test('scoreTokensBatch gives each sequence the logprobs and argmax scoreTokens gives it alone', async () => {
  const model = createModel(seedBaseConfig(40), { seed: 3 });
  const evalModel = evalModelOf(model);
  const rng = new Rng(2);
  const sequences = [1, 2, 9, 33, 64, 17].map((n) => Array.from({ length: n }, () => rng.int(40)));
  const batched = await evalModel.scoreTokensBatch!(sequences);
  for (const [i, ids] of sequences.entries()) {
    const single = await evalModel.scoreTokens(ids);
    expect(Array.from(batched[i].argmax)).toEqual(Array.from(single.argmax));
    const lp = Array.from(batched[i].logprobs);
    Array.from(single.logprobs).forEach((x, t) => expect(lp[t]).toBeCloseTo(x, 5));
  }
  await expect(evalModel.scoreTokensBatch!([Array.from({ length: 65 }, () => 1)])).rejects.toThrow(/context of 64/);
  model.dispose();
});

test('greedyAgreement matches greedy decoding token by token on random prompts', async () => {
  const model = createModel(seedBaseConfig(40), { seed: 5 });
  const evalModel = evalModelOf(model);
  const rng = new Rng(4);
  const items = Array.from({ length: 12 }, () => ({ promptIds: Array.from({ length: 1 + rng.int(20) }, () => rng.int(40)), maxNew: 6 }));
  const greedy = await Promise.all(items.map((it) => evalModel.generateGreedy(it.promptIds, it.maxNew, -1)));
  // Feed the greedy path itself: every id must be the argmax.
  const agreements = await evalModel.greedyAgreement!(items.map((it, i) => ({ promptIds: it.promptIds, maxNew: it.maxNew, continuation: greedy[i] })));
  agreements.forEach((a, i) => expect(a).toEqual({ matched: greedy[i].length, miss: -1 }));
  // Change the third id: the agreement stops there and reports the greedy id as the miss.
  const changed = await evalModel.greedyAgreement!(items.map((it, i) => ({ promptIds: it.promptIds, maxNew: it.maxNew, continuation: greedy[i].map((id, t) => (t === 2 ? (id + 1) % 40 : id)) })));
  changed.forEach((a, i) => expect(a).toEqual({ matched: 2, miss: greedy[i][2] }));
  // An item that does not fit the context even after greedy's cut is left to greedy decoding.
  expect(await evalModel.greedyAgreement!([{ promptIds: Array.from({ length: 61 }, () => 1), maxNew: 70, continuation: Array.from({ length: 70 }, () => 1) }])).toEqual([null]);
  model.dispose();
});

test('greedyAgreement cuts a long prompt from the left exactly as greedy decoding does (prompt + answer fit, prompt + budget do not)', async () => {
  const model = createModel(seedBaseConfig(40), { seed: 6 });
  const evalModel = evalModelOf(model);
  const rng = new Rng(8);
  const maxNew = 8; // greedy keeps the last 64 - 8 = 56 prompt ids
  const prompts = [57, 58, 59, 60, 61, 62].map((n) => Array.from({ length: n }, () => rng.int(40)));
  expect(prompts.map((p) => greedyPromptIds(p, maxNew, 64).length)).toEqual([56, 56, 56, 56, 56, 56]);
  // The first 3 greedy ids: prompt + 3 answer ids fit the context uncut, so an uncut teacher-forced pass would run.
  const greedy = (await Promise.all(prompts.map((p) => evalModel.generateGreedy(p, maxNew, -1)))).map((ids) => ids.slice(0, 3));
  const agreements = await evalModel.greedyAgreement!(prompts.map((p, i) => ({ promptIds: p, maxNew, continuation: greedy[i] })));
  agreements.forEach((a) => expect(a).toEqual({ matched: 3, miss: -1 }));
  // Uncut (a budget of 1 leaves room for the whole prompt), the pass conditions on another prompt and disagrees somewhere.
  const uncut = await evalModel.greedyAgreement!(prompts.map((p, i) => ({ promptIds: p, maxNew: 1, continuation: greedy[i] })));
  expect(uncut.some((a) => a!.matched < 3)).toBe(true);
  model.dispose();
});

test('greedy decoding for a suite stays inside the tokenizer when the model vocabulary is padded past it (Qwen)', async () => {
  const model = createModel(seedBaseConfig(40), { seed: 7 });
  const evalModel = evalModelOf(model);
  const prompt = [3, 1, 4, 1, 5];
  const free = await evalModel.generateGreedy(prompt, 8, -1);
  // A tokenizer that knows only ids below the largest one greedy chose: those ids must not come out.
  const limit = Math.max(...free);
  const limited = await evalModel.generateGreedy(prompt, 8, -1, limit);
  expect(limited).toHaveLength(8);
  expect(limited.every((id) => id < limit)).toBe(true);
  expect(limited).not.toEqual(free);
  model.dispose();
});
