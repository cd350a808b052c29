// The f16 base option on tfjs WebGPU in Node (Dawn): packed halves in the fused kernels train like f32 kernels on a hand-rounded base.
import { describe, expect, it } from 'vitest';
import { dawnAvailable, useDawnWebGPU } from '../backend/kernels/dawn-webgpu';
import { useFusedKernels } from '../backend/kernels/webgpu-backend';
import { runOnBase, tensorDelta } from './base-weights-check';

describe.skipIf(!dawnAvailable)('f16 base weights on WebGPU (Dawn, fused kernels)', () => {
  it('train like f32 kernels on weights rounded to f16 by hand, differ from the f32 base, and free their copies', { timeout: 300_000 }, async () => {
    await useDawnWebGPU();
    expect(useFusedKernels()).toBe(true);
    const half = await runOnBase('f16', false);
    const byHand = await runOnBase('f32', true);
    const exact = await runOnBase('f32', false);
    console.log(`losses f16 ${half.losses.join(' ')} | rounded by hand ${byHand.losses.join(' ')} | f32 ${exact.losses.join(' ')}`);
    // Same values and the same f32 arithmetic in the same tiles: any difference would be the packing's fault.
    for (let i = 0; i < half.losses.length; i++) expect(Math.abs(half.losses[i] - byHand.losses[i]), `step ${i + 1}`).toBeLessThan(1e-6);
    expect(Math.abs(half.evalLoss - byHand.evalLoss)).toBeLessThan(1e-6);
    expect(half.losses[0]).not.toBe(exact.losses[0]);
    expect(Array.from(half.logitsAfter)).toEqual(Array.from(exact.logitsAfter));
    expect(await tensorDelta(() => runOnBase('f16', false, 2))).toBe(0);
  });
});
