// Hand-computed checks of the metrics, the bootstrap and the suite runner (with a fake model of known probabilities).

import { describe, expect, test } from 'vitest';
import { bootstrapScore, percentile, ratioOf } from './bootstrap';
import { contains, exactMatch, multipleChoice, perplexityTerms, tokenAccuracy } from './metrics';
import { evaluateSuite } from './run-suite';
import type { EvalModel, EvalTokenizer, ItemValue } from './types';

const ones = (xs: number[]): ItemValue[] => xs.map((x) => ({ numerator: x, denominator: 1 }));

describe('metrics', () => {
  test('exact match and contains', () => {
    expect(exactMatch('168', '168').numerator).toBe(1);
    expect(exactMatch('1680', '168').numerator).toBe(0);
    expect(contains('it is 168!', '168').numerator).toBe(1);
    expect(contains('16 8', '168').numerator).toBe(0);
  });

  test('multiple choice: acc takes the summed logprob, acc_norm the per-character one', () => {
    // "y": sum -1, per char -1; "zzzz": sum -2, per char -0.5.
    const r = multipleChoice([-1, -2], ['y', 'zzzz'], 1);
    expect(r.acc.numerator).toBe(0);
    expect(r.accNorm.numerator).toBe(1);
    expect(r.picked).toBe(0);
  });

  test('perplexity terms and token accuracy', () => {
    const scores = { logprobs: [0, Math.log(0.5), Math.log(0.25)], argmax: [0, 7, 9] };
    const terms = perplexityTerms(scores);
    expect(terms.denominator).toBe(2);
    expect(Math.exp(terms.numerator / terms.denominator)).toBeCloseTo(Math.sqrt(8), 12); // exp(-(ln .5 + ln .25)/2)
    expect(tokenAccuracy([1, 7, 8], scores, 1)).toEqual({ numerator: 1, denominator: 2 });
    expect(tokenAccuracy([1, 7, 8], scores, 2)).toEqual({ numerator: 0, denominator: 1 });
  });
});

describe('bootstrap', () => {
  test('percentile interpolates like numpy', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([0, 10], 0.025)).toBeCloseTo(0.25, 12);
    expect(percentile([5], 0.9)).toBe(5);
  });

  test('a constant metric has a zero-width interval; a ratio is a micro-average', () => {
    expect(bootstrapScore(ones([1, 1, 1]), { seed: 1 })).toEqual({ value: 1, ci: [1, 1], n: 3 });
    expect(ratioOf([{ numerator: 1, denominator: 1 }, { numerator: 0, denominator: 3 }])).toBe(0.25);
  });

  test('two items {0, 1}: resampled means are 0, 0.5, 1, so the 95% interval is [0, 1]', () => {
    const s = bootstrapScore(ones([0, 1]), { seed: 3, resamples: 4000 });
    expect(s.value).toBe(0.5);
    expect(s.ci).toEqual([0, 1]);
  });

  test('for 400 fair coin flips the interval matches the normal approximation ±1.96·0.025', () => {
    const values = ones(Array.from({ length: 400 }, (_, i) => i % 2));
    const s = bootstrapScore(values, { seed: 9, resamples: 2000 });
    const half = (s.ci[1] - s.ci[0]) / 2;
    expect(half).toBeGreaterThan(0.049 * 0.85);
    expect(half).toBeLessThan(0.049 * 1.15);
    expect(bootstrapScore(values, { seed: 9, resamples: 2000 })).toEqual(s);
  });
});

// A fake character model with known numbers: every token has logprob -1 except "z" (-0.5); argmax is always "a";
// greedy generation answers from a table.
const CHARS = '\nabcdefghijklmnopqrstuvwxyz0123456789 =+';
const tokenizer: EvalTokenizer = {
  encode: (text) => [...text].map((c) => CHARS.indexOf(c)),
  decode: (ids) => ids.map((i) => CHARS[i]).join(''),
};
const answers: Record<string, string> = { 'q1=': 'yes', 'q2=': 'no', 'q3=': 'yes' };
const fakeModel: EvalModel = {
  async generateGreedy(promptIds, maxNew, stopId) {
    const out = tokenizer.encode(`${answers[tokenizer.decode(promptIds)]}\nignored`);
    const stop = out.indexOf(stopId);
    return out.slice(0, Math.min(stop, maxNew));
  },
  async scoreTokens(ids) {
    return { logprobs: ids.map((id, t) => (t === 0 ? 0 : id === CHARS.indexOf('z') ? -0.5 : -1)), argmax: ids.map(() => CHARS.indexOf('a')) };
  },
};

test('evaluateSuite scores every metric kind with cohort slices', async () => {
  const result = await evaluateSuite(fakeModel, tokenizer, {
    name: 'fake',
    probes: [
      {
        name: 'em',
        metric: 'exact_match',
        items: [
          { prompt: 'q1=', target: 'yes', cohort: 'a' },
          { prompt: 'q2=', target: 'yes', cohort: 'b' },
          { prompt: 'q3=', target: 'yes', cohort: 'a' },
        ],
      },
      { name: 'mc', metric: 'multiple_choice', items: [{ prompt: 'q=', choices: ['y', 'zzzz'], answer: 1 }] },
      { name: 'ppl', metric: 'perplexity', items: [{ text: 'abc' }, { text: 'zz' }] },
      { name: 'tok', metric: 'token_accuracy', items: [{ prompt: 'q=', target: 'aab' }] },
    ],
  });
  const [em, mc, ppl, tok] = result.probes;
  expect(em.predictions).toEqual(['yes', 'no', 'yes']);
  expect(em.metrics.exact_match.value).toBeCloseTo(2 / 3, 12);
  expect(em.metrics.exact_match.perCohort.a.value).toBe(1);
  expect(em.metrics.exact_match.perCohort.b.value).toBe(0);
  expect(mc.metrics.acc.value).toBe(0);
  expect(mc.metrics.acc_norm.value).toBe(1);
  // "abc": two scored tokens at -1; "zz": one at -0.5 → exp(2.5 / 3).
  expect(ppl.metrics.perplexity.value).toBeCloseTo(Math.exp(2.5 / 3), 12);
  expect(ppl.metrics.perplexity.higherIsBetter).toBe(false);
  expect(tok.metrics.token_accuracy.value).toBeCloseTo(2 / 3, 12);
});
