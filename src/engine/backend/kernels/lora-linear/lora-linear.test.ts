// The fused (LoRA) linear kernels against the float64 CPU reference on tfjs WebGPU in Node (Dawn + SwiftShader).
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../../tf';
import { dawnAvailable, useDawnWebGPU } from '../dawn-webgpu';
import { checkLoraLinear, LORA_LINEAR_CASES } from './lora-linear-check';
import { loraLinearReference } from './lora-linear-reference';
import { setTiling, TILINGS, REGISTER_TILING } from './tiling';

describe('loraLinearReference', () => {
  it('computes a 1×2 · 2×1 LoRA linear by hand', () => {
    // x = [1, 2], W (in_out) = [[3], [4]], bias 0.5, A = [[1, 1]], B = [[2]], s = 0.5:
    // h = 0.5·3 = 1.5; y = 11 + 0.5 + 3 = 14.5
    const r = loraLinearReference(
      { n: 1, nIn: 2, nOut: 1, r: 1, layout: 'in_out', hasBias: true, scale: 0.5 },
      { x: Float32Array.of(1, 2), W: Float32Array.of(3, 4), bias: Float32Array.of(0.5), A: Float32Array.of(1, 1), B: Float32Array.of(2), dy: Float32Array.of(1) },
    );
    expect(Array.from(r.y)).toEqual([14.5]);
    // dh = s·dy·B = 1; dx = W + dh·A = [4, 5]; dA = dh·x = [1, 2]; dB = dy·h = 1.5
    expect(Array.from(r.dx)).toEqual([4, 5]);
    expect(Array.from(r.dA)).toEqual([1, 2]);
    expect(Array.from(r.dB)).toEqual([1.5]);
  });
});

// The Dawn copy of checks Chromium runs on every CI run: e2e/train-kernels.spec.ts runs every LORA_LINEAR_CASES case, f32
// and f16 base, under every tiling, on lavapipe. Here they cost ~80 s of CI's 20 minutes, so they run with TUNELAB_SLOW_CHECKS=1.
describe.skipIf(!dawnAvailable || !process.env.TUNELAB_SLOW_CHECKS)('fused linear kernels on WebGPU (Dawn)', () => {
  afterAll(() => setTiling(REGISTER_TILING));
  for (const tiling of TILINGS) {
    it(`match the reference forward and backward, odd shapes, tiling ${tiling.name}`, { timeout: 300_000 }, async () => {
      await useDawnWebGPU();
      setTiling(tiling);
      const before = tf.memory().numTensors;
      // SwiftShader runs workgroup barriers very slowly (minutes for all cases under load): the shared tiling gets
      // three small cases here (LoRA, plain, plain with the residual); all cases run in Chromium (e2e/train-kernels.spec.ts).
      const checks = await checkLoraLinear(tiling.kind === 'workgroup' ? [LORA_LINEAR_CASES[2], LORA_LINEAR_CASES[6], LORA_LINEAR_CASES[9]] : undefined);
      for (const c of checks) for (const [what, err] of Object.entries(c.errors)) expect(err, `${c.shape} ${what}`).toBeLessThan(1e-4);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
