// The fused (LoRA) linear with an f16 base weight against float64 references, on tfjs WebGPU in Node (Dawn).
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../../tf';
import { dawnAvailable, useDawnWebGPU } from '../dawn-webgpu';
import { LORA_LINEAR_CASES } from './lora-linear-check';
import { checkLoraLinearHalf } from './lora-linear-half-check';
import { setTiling, TILINGS, REGISTER_TILING } from './tiling';

// The Dawn copy of checks Chromium runs on every CI run: e2e/train-kernels.spec.ts runs every LORA_LINEAR_CASES case, f32
// and f16 base, under every tiling, on lavapipe. Here they cost ~80 s of CI's 20 minutes, so they run with TUNELAB_SLOW_CHECKS=1.
describe.skipIf(!dawnAvailable || !process.env.TUNELAB_SLOW_CHECKS)('fused linear kernels with f16 base weights on WebGPU (Dawn)', () => {
  afterAll(() => setTiling(REGISTER_TILING));
  for (const tiling of TILINGS) {
    it(`match the f16-rounded reference tightly and the f32 one within f16's bound, odd shapes, tiling ${tiling.name}`, { timeout: 300_000 }, async () => {
      await useDawnWebGPU();
      setTiling(tiling);
      const before = tf.memory().numTensors;
      // As in lora-linear.test.ts, the workgroup tiling (slow on SwiftShader) gets small cases only: LoRA and plain with
      // scalar loads, and one whose W rows are a multiple of 4 (bound as vec2 words, read through the staging loop).
      const checks = await checkLoraLinearHalf(tiling.kind === 'workgroup' ? [LORA_LINEAR_CASES[2], LORA_LINEAR_CASES[6], LORA_LINEAR_CASES[4]] : LORA_LINEAR_CASES);
      for (const c of checks) {
        // Against W rounded to f16: only f32 accumulation differs.
        for (const [what, err] of Object.entries(c.errors)) expect(err, `${c.shape} ${what}`).toBeLessThan(2e-5);
        // Against the f32 W: within 2⁻¹¹·Σ|a|·|w| (+ the f32 tolerance).
        for (const [what, ratio] of Object.entries(c.boundRatios)) expect(ratio, `${c.shape} ${what} vs f32 W`).toBeLessThanOrEqual(1);
        // The kernel really reads halves: its y is far closer to the f16-rounded reference than the two references are to each other.
        expect(c.errors.y, `${c.shape}: y vs rounded W, rounding moves y by ${c.roundingEffect}`).toBeLessThan(c.roundingEffect / 4);
        console.log(`${c.kernel} ${c.shape}: vs f16 W ${Math.max(...Object.values(c.errors)).toExponential(1)}, bound ratio ${Math.max(...Object.values(c.boundRatios)).toFixed(3)}, rounding effect ${c.roundingEffect.toExponential(1)}`);
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
