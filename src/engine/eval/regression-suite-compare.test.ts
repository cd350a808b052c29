// The paired before/after comparison against hand-computed cases (the exact bootstrap distribution by enumeration), and the flag rule.
import { describe, expect, test } from 'vitest';
import { compareRegression, pairedDifference, verdictOf } from './regression-suite-compare';
import type { RegressionItemValue, RegressionScores } from './regression-suite';

const correct = (bits: number[]): RegressionItemValue[] => bits.map((b) => ({ numerator: b, denominator: 1 }));

/**
 * The exact bootstrap distribution of the mean paired difference when the differences take values in {-1, 0, +1}:
 * the counts drawn of each are multinomial(n; p−, p0, p+). Returns its q-quantile (the smallest s with P(S ≤ s) ≥ q).
 */
function exactQuantile(diffs: number[], q: number): number {
  const n = diffs.length;
  const p = (v: number) => diffs.filter((d) => d === v).length / n;
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const dist = new Map<number, number>();
  for (let minus = 0; minus <= n; minus++) {
    for (let zero = 0; zero <= n - minus; zero++) {
      const plus = n - minus - zero;
      const pr = (fact(n) / (fact(minus) * fact(zero) * fact(plus))) * p(-1) ** minus * p(0) ** zero * p(1) ** plus;
      const s = (plus - minus) / n;
      dist.set(s, (dist.get(s) ?? 0) + pr);
    }
  }
  let cumulative = 0;
  for (const s of [...dist.keys()].sort((a, b) => a - b)) {
    cumulative += dist.get(s)!;
    if (cumulative >= q) return s;
  }
  return NaN;
}

describe('pairedDifference', () => {
  // 10 items: 8 right before, 4 right after; per item after − before = five −1, four 0, one +1.
  const before = correct([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  const after = correct([0, 0, 0, 0, 0, 1, 1, 1, 0, 1]);
  const diffs = after.map((a, i) => a.numerator - before[i].numerator);

  test('the point estimate is after − before on the same items (4/10 − 8/10)', () => {
    expect(pairedDifference(before, after).delta).toBeCloseTo(-0.4, 12);
  });

  test('the interval is the exact bootstrap distribution’s 2.5th–97.5th percentiles: [−0.8, 0] by hand, touching zero', () => {
    // By enumeration: P(S ≤ −0.9) = 0.0088, P(S ≤ −0.8) = 0.0389 → 2.5%: −0.8; P(S ≤ −0.1) = 0.9478, P(S ≤ 0) = 0.9805 → 97.5%: 0.
    expect(exactQuantile(diffs, 0.025)).toBeCloseTo(-0.8, 12);
    expect(exactQuantile(diffs, 0.975)).toBeCloseTo(0, 12);
    const { ci } = pairedDifference(before, after, { resamples: 20000, seed: 3 });
    expect(ci[0]).toBeCloseTo(-0.8, 12);
    expect(ci[1]).toBeCloseTo(0, 12);
    // Not flagged: the interval does not exclude zero.
    expect(verdictOf(ci, true)).toBe('unchanged');
  });

  test('without the one improved item the interval is [−0.8, −0.2] (Binomial(10, ½) quantiles 2 and 8) and it is flagged', () => {
    const after2 = correct([0, 0, 0, 0, 0, 1, 1, 1, 0, 0]);
    const d2 = after2.map((a, i) => a.numerator - before[i].numerator);
    expect(exactQuantile(d2, 0.025)).toBeCloseTo(-0.8, 12);
    expect(exactQuantile(d2, 0.975)).toBeCloseTo(-0.2, 12);
    const { delta, ci } = pairedDifference(before, after2, { resamples: 20000, seed: 5 });
    expect(delta).toBeCloseTo(-0.5, 12);
    expect(ci[0]).toBeCloseTo(-0.8, 12);
    expect(ci[1]).toBeCloseTo(-0.2, 12);
    expect(verdictOf(ci, true)).toBe('regressed');
  });

  test('pairing removes what items share: the same shift on every item gives a zero-width interval, unpaired intervals would overlap', () => {
    // Every item loses exactly one point of ten: each resample's difference is −0.1 whatever items it draws.
    const b = [10, 9, 3, 7, 1, 6].map((x) => ({ numerator: x, denominator: 10 }));
    const a = b.map((v) => ({ numerator: v.numerator - 1, denominator: 10 }));
    const { delta, ci } = pairedDifference(b, a, { resamples: 500 });
    expect(delta).toBeCloseTo(-0.1, 12);
    expect(ci[0]).toBeCloseTo(-0.1, 12);
    expect(ci[1]).toBeCloseTo(-0.1, 12);
  });

  test('perplexity pairs the ratio of summed NLL over summed tokens, then exp: e^3 − e^2 by hand', () => {
    const b = [{ numerator: 2, denominator: 1 }, { numerator: 4, denominator: 2 }];
    const a = [{ numerator: 3, denominator: 1 }, { numerator: 6, denominator: 2 }];
    const { delta, ci } = pairedDifference(b, a, { finalize: Math.exp, resamples: 500 });
    expect(delta).toBeCloseTo(Math.exp(3) - Math.exp(2), 10);
    // Both items' per-token NLL rise by exactly one nat: every resample gives e^3 − e^2.
    expect(ci[0]).toBeCloseTo(Math.exp(3) - Math.exp(2), 10);
    expect(ci[1]).toBeCloseTo(Math.exp(3) - Math.exp(2), 10);
  });

  test('refuses sides of different lengths (they would not be the same items)', () => {
    expect(() => pairedDifference(correct([1]), correct([1, 0]))).toThrow('same items');
  });
});

describe('verdictOf (the flag rule)', () => {
  test('flags only when the interval excludes zero, in the metric’s own direction', () => {
    expect(verdictOf([-0.3, -0.01], true)).toBe('regressed');
    expect(verdictOf([0.01, 0.3], true)).toBe('improved');
    expect(verdictOf([-0.3, 0], true)).toBe('unchanged');
    expect(verdictOf([0, 0.3], true)).toBe('unchanged');
    expect(verdictOf([-0.3, 0.2], true)).toBe('unchanged');
    expect(verdictOf([0, 0], true)).toBe('unchanged');
    // Lower is better (perplexity): a rise is a regression.
    expect(verdictOf([0.5, 2], false)).toBe('regressed');
    expect(verdictOf([-2, -0.5], false)).toBe('improved');
    expect(verdictOf([NaN, NaN], true)).toBe('unchanged');
  });
});

describe('compareRegression', () => {
  test('pairs abilities by name and metric, with both sides’ values and the flagged verdicts', () => {
    const before: RegressionScores = {
      step: 0,
      abilities: [
        { name: 'keep', metric: 'exact_match', higherIsBetter: true, items: correct([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]) },
        { name: 'text', metric: 'perplexity', higherIsBetter: false, items: [{ numerator: 2, denominator: 1 }, { numerator: 4, denominator: 2 }] },
      ],
    };
    const after: RegressionScores = {
      step: 8,
      abilities: [
        { name: 'text', metric: 'perplexity', higherIsBetter: false, items: [{ numerator: 1, denominator: 1 }, { numerator: 2, denominator: 2 }] },
        { name: 'keep', metric: 'exact_match', higherIsBetter: true, items: correct([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) },
      ],
    };
    const c = compareRegression(before, after, { resamples: 200 });
    expect(c.beforeStep).toBe(0);
    expect(c.afterStep).toBe(8);
    expect(c.abilities.map((a) => [a.ability, a.verdict])).toEqual([
      ['keep', 'regressed'],
      ['text', 'improved'],
    ]);
    expect(c.abilities[0]).toMatchObject({ n: 10, before: { value: 1, ci: [1, 1] }, after: { value: 0, ci: [0, 0] }, delta: -1, deltaCi: [-1, -1] });
    expect(c.abilities[1].delta).toBeCloseTo(Math.exp(1) - Math.exp(2), 10);
  });
});
