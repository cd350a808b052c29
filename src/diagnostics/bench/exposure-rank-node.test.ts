// Measurement (not run in CI; TUNELAB_MEASURE_RANK=1): the bench's exposure ranking against its train step on WebGPU in
// Node (Dawn on SwiftShader), with one ranking's per-kernel profile: a quicker loop than `npm run bench` in Chromium.
import { describe, expect, it } from 'vitest';
import { tf } from '../../engine/backend/tf';
import { dawnAvailable, useDawnWebGPU } from '../../engine/backend/kernels/dawn-webgpu';
import { installDispatchCounter } from './dispatch-counter';
import { createEngineSide } from './engine-bench';
import { benchExposureRank } from './exposure-bench';
import { formatProfile, profileStep } from './step-profile';
import { TINY_GPT } from './shapes';

const run = process.env.TUNELAB_MEASURE_RANK === '1' && dawnAvailable;

describe.skipIf(!run)('exposure ranking vs a train step (tiny GPT, Dawn in Node)', () => {
  it('times both and profiles one ranking', { timeout: 3_600_000 }, async () => {
    await useDawnWebGPU();
    installDispatchCounter();
    const side = await createEngineSide(TINY_GPT);
    try {
      for (let i = 0; i < 3; i++) await side.step();
      const m = await benchExposureRank(side, TINY_GPT, Number(process.env.TUNELAB_MEASURE_ROUNDS ?? 2), (line) => console.log(line));
      console.log(JSON.stringify(m)); // m.overStep: the median of the rounds' paired ratios
      if (process.env.TUNELAB_MEASURE_PROFILE === '1') {
        const device = (tf.backend() as unknown as { device: GPUDevice }).device;
        const p = await profileStep(() => benchExposureRank(side, TINY_GPT, 0, () => {}), device, { reps: 1, trials: 1 });
        for (const line of formatProfile(p)) console.log(`rank profile: ${line}`);
      }
      expect(m.rankingsMs.length).toBeGreaterThan(0);
    } finally {
      side.dispose();
    }
  });
});
