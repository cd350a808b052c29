// The two-level bootstrap on hand-computed cases: degenerate data, clipping, paired-difference sign, and coverage by simulation.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { differenceOf, resolved, scoreOf, twoLevelBootstrap, type SeedItems } from './resample';

/** One seed, one group, one condition: 0/1 items. */
const seed = (items: number[]): SeedItems => ({ groups: [items.map((v) => [v])] });
/** One seed, one group, two paired conditions. */
const paired = (from: number[], to: number[]): SeedItems => ({ groups: [from.map((v, i) => [v, to[i]])] });

describe('twoLevelBootstrap', () => {
  it('collapses to the value when every item of every seed agrees', () => {
    const e = twoLevelBootstrap([seed([1, 1, 1, 1]), seed([1, 1, 1, 1])], scoreOf(0), { clip: [0, 1] });
    expect(e).toEqual({ mean: 1, lo: 1, hi: 1, n: 2, items: 4 });
  });

  it('keeps the eval items’ uncertainty when seeds agree (the old seeds-only interval said ± 0.00)', () => {
    const items = [1, 1, 1, 1, 1, 1, 1, 0, 0, 0];
    const e = twoLevelBootstrap([seed(items), seed(items)], scoreOf(0), { clip: [0, 1] });
    expect(e.mean).toBeCloseTo(0.7, 12);
    // Binomial: sd of a mean of 10 items at 0.7 is 0.145, so the 95% interval is about ± 0.28.
    expect(e.hi - e.lo).toBeGreaterThan(0.35);
    expect(e.hi - e.lo).toBeLessThan(0.75);
  });

  it('widens with the spread between seeds', () => {
    const same = twoLevelBootstrap([seed([1, 1, 0, 0]), seed([1, 1, 0, 0]), seed([1, 1, 0, 0])], scoreOf(0));
    const spread = twoLevelBootstrap([seed([1, 1, 1, 1]), seed([1, 1, 0, 0]), seed([0, 0, 0, 0])], scoreOf(0));
    expect(spread.mean).toBeCloseTo(same.mean, 12);
    expect(spread.hi - spread.lo).toBeGreaterThan(same.hi - same.lo);
  });

  it('is reproducible for a fixed seed', () => {
    const units = [seed([1, 0, 1, 1, 0]), seed([0, 0, 1, 1, 1])];
    expect(twoLevelBootstrap(units, scoreOf(0), { seed: 3 })).toEqual(twoLevelBootstrap(units, scoreOf(0), { seed: 3 }));
  });

  it('clips the interval to the statistic’s range', () => {
    const units = [seed([1, 1, 1, 0]), seed([1, 0, 0, 0])];
    const free = twoLevelBootstrap(units, (m) => 2 * m[0][0] - 0.5);
    expect(free.lo).toBeLessThan(0);
    expect(free.hi).toBeGreaterThan(1);
    const clipped = twoLevelBootstrap(units, (m) => 2 * m[0][0] - 0.5, { clip: [0, 1] });
    expect([clipped.lo, clipped.hi]).toEqual([0, 1]);
    // A score near the ceiling never reaches past 1.
    const top = twoLevelBootstrap([seed([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]), seed([1, 1, 1, 1, 1, 1, 1, 1, 1, 1])], scoreOf(0), { clip: [0, 1] });
    expect(top.hi).toBe(1);
    expect(top.lo).toBeGreaterThanOrEqual(0);
  });

  it('paired differences: sign follows to − from, and pairing removes what both conditions share', () => {
    const up = twoLevelBootstrap([paired([0, 0, 0], [1, 1, 1])], differenceOf(0, 1));
    expect([up.mean, up.lo, up.hi]).toEqual([1, 1, 1]);
    const down = twoLevelBootstrap([paired([0, 0, 0], [1, 1, 1])], differenceOf(1, 0));
    expect([down.mean, down.lo, down.hi]).toEqual([-1, -1, -1]);
    // The same items right and wrong under both conditions: a paired difference of exactly 0 though each score is 0.5.
    const same = twoLevelBootstrap([paired([1, 0, 1, 0, 1, 0], [1, 0, 1, 0, 1, 0])], differenceOf(0, 1));
    expect([same.mean, same.lo, same.hi]).toEqual([0, 0, 0]);
    expect(resolved(same)).toBe(false);
    // 8 of 10 items improve, none gets worse: resolved and positive.
    const better = twoLevelBootstrap([paired([0, 0, 0, 0, 0, 0, 0, 0, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1])], differenceOf(0, 1), { clip: [-1, 1] });
    expect(better.mean).toBeCloseTo(0.8, 12);
    expect(better.lo).toBeGreaterThan(0);
    expect(resolved(better)).toBe(true);
    // One item up, one down, eight unchanged: not resolved.
    const mixed = twoLevelBootstrap([paired([1, 0, 1, 1, 1, 1, 0, 0, 0, 1], [0, 1, 1, 1, 1, 1, 0, 0, 0, 1])], differenceOf(0, 1));
    expect(mixed.mean).toBe(0);
    expect(resolved(mixed)).toBe(false);
  });

  it('averages a difference over groups (probes) with their own item counts', () => {
    const unit: SeedItems = { groups: [[[1, 0], [1, 0]], [[1, 1], [1, 1], [1, 1]]] };
    const d = twoLevelBootstrap([unit], differenceOf(0, 1));
    expect([d.mean, d.lo, d.hi, d.items]).toEqual([-0.5, -0.5, -0.5, 2]);
  });

  it('covers the true mean about 95% of the time when seeds and items both vary; an items-only interval does not', () => {
    const rng = new Rng(42);
    const truth = 0.6;
    const draw = () =>
      Array.from({ length: 8 }, () => {
        const p = truth + (rng.next() - 0.5) * 0.5; // seed effect: uniform ± 0.25 around the truth
        return Array.from({ length: 40 }, () => (rng.next() < p ? 1 : 0));
      });
    let twoLevel = 0;
    let itemsOnly = 0;
    const trials = 150;
    for (let t = 0; t < trials; t++) {
      const seeds = draw();
      const e = twoLevelBootstrap(seeds.map(seed), scoreOf(0), { seed: t, resamples: 300, clip: [0, 1] });
      if (e.lo <= truth && truth <= e.hi) twoLevel++;
      // Pooling every seed's items into one unit resamples items only.
      const pooled = twoLevelBootstrap([seed(seeds.flat())], scoreOf(0), { seed: t, resamples: 300, clip: [0, 1] });
      if (pooled.lo <= truth && truth <= pooled.hi) itemsOnly++;
    }
    expect(twoLevel / trials).toBeGreaterThan(0.85);
    expect(twoLevel / trials).toBeLessThanOrEqual(1);
    expect(itemsOnly / trials).toBeLessThan(twoLevel / trials - 0.1);
  });

  it('returns NaN without seeds or items', () => {
    expect(twoLevelBootstrap([], scoreOf(0)).mean).toBeNaN();
    expect(twoLevelBootstrap([{ groups: [] }], differenceOf(0, 1)).mean).toBeNaN();
  });
});
