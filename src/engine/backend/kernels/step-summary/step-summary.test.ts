// The one-dispatch step summary [loss, Σg², correct] on WebGPU (Dawn) against a float64 sum of squares.
import { describe, expect, it } from 'vitest';
import { tf } from '../../tf';
import { dawnAvailable, useDawnWebGPU } from '../dawn-webgpu';
import { pseudoRandom } from '../check-harness';
import { stepSummary } from './step-summary';

describe.skipIf(!dawnAvailable)('stepSummary on WebGPU (Dawn)', () => {
  it('matches a float64 reference for sizes around the workgroup (tails) and a large vector', async () => {
    await useDawnWebGPU();
    const before = tf.memory().numTensors;
    for (const size of [1, 255, 256, 257, 70_001]) {
      const data = pseudoRandom(size, size);
      let want = 0;
      for (const x of data) want += x * x;
      const g = tf.tensor1d(data);
      const [loss, correct] = [tf.scalar(2.5), tf.scalar(17)];
      const summary = stepSummary(g, loss, correct, true);
      const got = (await summary.data()) as Float32Array;
      expect(got[0]).toBe(2.5);
      expect(Math.abs(got[1] - want) / want, `size ${size}`).toBeLessThan(1e-5);
      expect(got[2]).toBe(17);
      tf.dispose([g, loss, correct, summary]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
