// Tests: the learning-curve fit and its interval against hand-computed cases.
import { describe, expect, it } from 'vitest';
import { doublingGain, fitCurve, predict } from './fit';
import { estimateCurve, type CurveCellItems } from './estimate';
import { curveReading } from './reading';

const sizes3 = [100, 200, 400];

describe('fitCurve against hand-computed curves', () => {
  it('recovers y = 2·n^(−0.5) exactly as a log-log line from 3 sizes (a floor is not identifiable from 3)', () => {
    const fit = fitCurve(sizes3.map((n) => ({ n, y: 2 / Math.sqrt(n) })))!;
    expect(fit.kind).toBe('log-log');
    expect(fit.a).toBeCloseTo(2, 10);
    expect(fit.b).toBeCloseTo(0.5, 10);
    expect(fit.c).toBe(0);
    // By hand: 2·400^(−1/2)·(1 − 2^(−1/2)) = 0.1 · 0.29289… = 0.0292893
    expect(doublingGain(fit, 400)).toBeCloseTo(0.0292893219, 9);
  });

  it('recovers a floor y = 1 + 2·n^(−0.5) from 4 sizes', () => {
    const fit = fitCurve([100, 200, 400, 800].map((n) => ({ n, y: 1 + 2 / Math.sqrt(n) })))!;
    expect(fit.kind).toBe('floor');
    expect(fit.c).toBeCloseTo(1, 5);
    expect(fit.b).toBeCloseTo(0.5, 4);
    expect(fit.a).toBeCloseTo(2, 3);
    expect(predict(fit, 800)).toBeCloseTo(1 + 2 / Math.sqrt(800), 6);
  });

  it('keeps the log-log line when 4 points lie on one (no floor to find)', () => {
    const fit = fitCurve([100, 200, 400, 800].map((n) => ({ n, y: 3 * n ** -0.3 })))!;
    expect(fit.kind).toBe('log-log');
    expect(fit.b).toBeCloseTo(0.3, 8);
  });

  it('refuses values that are not positive', () => {
    expect(fitCurve([{ n: 10, y: 0 }, { n: 20, y: 0.1 }])).toBeNull();
  });
});

/** A cell whose every item has the same loss y (one token each): item resampling cannot move it. */
function flatCell(seed: number, n: number, y: number, items = 30): CurveCellItems {
  return { seed, n, nll: Array(items).fill(y), weight: Array(items).fill(1), correct: Array(items).fill(1), targets: Array(items).fill(1) };
}

describe('estimateCurve interval against a hand-computed case', () => {
  // Seed 1 measures 2·n^(−1/2), seed 2 measures 4·n^(−1/2); items are constant within a cell, so only seeds vary.
  const cells = sizes3.flatMap((n) => [flatCell(1, n, 2 / Math.sqrt(n)), flatCell(2, n, 4 / Math.sqrt(n))]);
  const e = estimateCurve(cells, 'loss', { resamples: 2000, seed: 3 });

  it('fits the mean curve 3·n^(−1/2) and its doubling gain', () => {
    expect(e.fit!.a).toBeCloseTo(3, 9);
    // By hand: 3·400^(−1/2)·(1 − 2^(−1/2)) = 0.15 · 0.2928932 = 0.0439340
    expect(e.gain!.mean).toBeCloseTo(0.043934, 6);
  });

  it('spans the two seeds alone: a seed resample is {1,1}, {1,2} or {2,2}, each extreme with probability 1/4', () => {
    // {1,1}: the curve 2·n^(−1/2), gain 2/20·(1 − 2^(−1/2)) = 0.0292893; {2,2}: 4·n^(−1/2), gain 0.0585786.
    expect(e.gain!.lo).toBeCloseTo(0.0292893, 6);
    expect(e.gain!.hi).toBeCloseTo(0.0585786, 6);
    // Measured fall from 200 to 400: seed 1 2·(200^(−1/2) − 400^(−1/2)) = 0.0414214, seed 2 twice that.
    expect(e.measured!.mean).toBeCloseTo(0.0621320, 6);
    expect(e.measured!.lo).toBeCloseTo(0.0414214, 6);
    expect(e.measured!.hi).toBeCloseTo(0.0828427, 6);
    expect(e.points.map((p) => p.n)).toEqual(sizes3);
  });

  it('resamples the items within a seed: one seed whose items differ has an interval that is not a point', () => {
    const one = sizes3.map((n) => ({ ...flatCell(1, n, 1), nll: Array.from({ length: 30 }, (_, i) => (i % 2 ? 1.5 : 0.5) * 2 / Math.sqrt(n)) }));
    const r = estimateCurve(one, 'loss', { resamples: 500 });
    expect(r.gain!.hi - r.gain!.lo).toBeGreaterThan(0);
    expect(r.gain!.lo).toBeLessThan(r.gain!.mean);
    expect(r.gain!.hi).toBeGreaterThan(r.gain!.mean);
  });
});

describe('curveReading', () => {
  const measuredSizes = (text: string) => [...text.matchAll(/(\d+)(?: to (\d+))? examples/g)].flatMap((m) => [m[1], m[2]].filter(Boolean).map(Number));

  it('states the gain from doubling with its interval, naming only measured sizes', () => {
    const cells = sizes3.flatMap((n) => [flatCell(1, n, 2 / Math.sqrt(n)), flatCell(2, n, 4 / Math.sqrt(n))]);
    const text = curveReading(estimateCurve(cells, 'loss', { resamples: 500 }));
    expect(text).toContain('Doubling the data from 400 examples');
    expect(text).toContain('0.044');
    expect(text).toMatch(/95% interval 0\.029 to 0\.059/);
    for (const n of measuredSizes(text)) expect(sizes3).toContain(n);
    expect(measuredSizes(text).length).toBeGreaterThan(0);
    expect(text).not.toMatch(/800/);
  });

  it('says flat when the fitted gain interval includes no gain, and still names only measured sizes', () => {
    // Seed 1 falls with n, seed 2 rises: the gain's interval straddles zero.
    const cells = [10, 20, 40, 80].flatMap((n) => [flatCell(1, n, 2 * n ** -0.2), flatCell(2, n, 0.3 * n ** 0.2)]);
    const text = curveReading(estimateCurve(cells, 'loss', { resamples: 500 }));
    expect(text).toMatch(/^Flat: more of the same data will not help/);
    for (const n of measuredSizes(text)) expect([10, 20, 40, 80]).toContain(n);
    expect(text).not.toMatch(/160/);
  });

  it('reads the exact-match error when rows have references', () => {
    const cells = sizes3.map((n, i) => ({ ...flatCell(1, n, 1), exact: Array.from({ length: 30 }, (_, k) => (k < 10 * (i + 1) ? 1 : 0)) }));
    const e = estimateCurve(cells, 'error', { resamples: 300 });
    expect(e.points.map((p) => p.mean)).toEqual([2 / 3, 1 / 3, 0].map((x) => expect.closeTo(x, 10)) as unknown as number[]);
    // The error reaches 0 at 400: no power law; the reading says so instead of extrapolating.
    expect(curveReading(e)).toContain('reached 0 at a measured size');
  });
});
