// A skill counts as destroyed only when its drop is beyond both 95% intervals; the target's rise and noise are not flagged.
import { describe, expect, it } from 'vitest';
import { destroyedSkills, probeDrops, wilsonInterval } from './forgetting';

describe('wilsonInterval', () => {
  it('matches the textbook Wilson interval (7 of 10: 0.397–0.892) and stays inside [0, 1]', () => {
    const [lo, hi] = wilsonInterval(0.7, 10);
    expect(lo).toBeCloseTo(0.3968, 3);
    expect(hi).toBeCloseTo(0.8922, 3);
    expect(wilsonInterval(1, 10)[1]).toBeCloseTo(1, 12);
    expect(wilsonInterval(0, 10)[0]).toBeCloseTo(0, 12);
  });
});

describe('destroyedSkills', () => {
  it('flags the measured cliff (TICK 100% → 0% on 10 items), largest drop first, not the rising target', () => {
    const drops = probeDrops({ ROUTE: 0, TICK: 1, FACT: 1, UP: 0.9 }, { ROUTE: 0.8, TICK: 0, FACT: 0.2, UP: 0.8 }, 10);
    expect(destroyedSkills(drops).map((d) => d.skill)).toEqual(['TICK', 'FACT']);
  });

  it('does not flag a drop within the noise of a small sample (100% → 70% on 10 items overlaps)', () => {
    expect(destroyedSkills(probeDrops({ REV: 1 }, { REV: 0.7 }, 10))).toEqual([]);
    // The same shares on 200 items are beyond the interval.
    expect(destroyedSkills(probeDrops({ REV: 1 }, { REV: 0.7 }, 200)).map((d) => d.skill)).toEqual(['REV']);
  });
});
