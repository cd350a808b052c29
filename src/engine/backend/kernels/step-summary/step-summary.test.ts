// The one-dispatch step summary [loss, Σg², correct] on WebGPU (Dawn) against its float64 reference.
import { describe, expect, it } from 'vitest';
import { tf } from '../../tf';
import { dawnAvailable, useDawnWebGPU } from '../dawn-webgpu';
import { checkStepSummary } from './step-summary-check';

describe.skipIf(!dawnAvailable)('stepSummary on WebGPU (Dawn)', () => {
  it('matches a float64 reference for sizes around the workgroup (tails) and a large vector', async () => {
    await useDawnWebGPU();
    const before = tf.memory().numTensors;
    const checks = await checkStepSummary();
    expect(checks.map((c) => c.shape)).toEqual(['P1', 'P255', 'P256', 'P257', 'P70001']);
    for (const c of checks) {
      // loss and correct are copied, so exactly; Σg² is a float32 tree sum.
      expect(c.errors.loss, c.shape).toBe(0);
      expect(c.errors.correct, c.shape).toBe(0);
      expect(c.errors.sumSquares, c.shape).toBeLessThan(1e-5);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
