// The pretraining time estimate counts every skill measurement (step 0, each interval, the last step) and every step.
import { describe, expect, it } from 'vitest';
import { estimatePretrainTime, measurementsIn } from './pretrain-estimate';
import { settingsOf, PRETRAIN_PRESETS } from './pretrain-presets';

describe('pretraining time estimate', () => {
  it('counts measurements at step 0, every interval and at a last step off the interval', () => {
    expect(measurementsIn({ steps: 100, evalEvery: 50 })).toBe(3); // 0, 50, 100
    expect(measurementsIn({ steps: 120, evalEvery: 50 })).toBe(4); // 0, 50, 100, 120
    expect(measurementsIn({ steps: 4, evalEvery: 2 })).toBe(3);
  });

  it('adds step time and probe time: 8 skills × items × seconds per item per measurement', () => {
    const settings = { ...settingsOf(PRETRAIN_PRESETS[0]), steps: 100, evalEvery: 50, probeItems: 10 };
    const e = estimatePretrainTime(settings, { secondsPerStep: 0.2, tokensPerStep: 900, secondsPerProbeItem: 0.05 }, 'test');
    expect(e.trainSeconds).toBeCloseTo(20);
    expect(e.probeSeconds).toBeCloseTo(3 * 8 * 10 * 0.05);
    expect(e.seconds).toBeCloseTo(20 + 12);
  });
});
