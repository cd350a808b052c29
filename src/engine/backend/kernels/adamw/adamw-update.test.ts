// The WebGPU AdamW step against its float64 reference (Dawn in Node), and the reference against the tensor AdamW.
import { describe, expect, it } from 'vitest';
import { tf } from '../../tf';
import { adamwUpdate } from '../../../train/adamw';
import { adamwReference } from './adamw-reference';
import { checkAdamW } from './adamw-check';
import { dawnAvailable, useDawnWebGPU } from '../dawn-webgpu';
import { pseudoRandom, relativeError } from '../check-harness';

describe('adamwReference', () => {
  it('agrees with the tensor AdamW the CPU path uses (no clipping)', async () => {
    const p = pseudoRandom(11, 1);
    const g = pseudoRandom(11, 2);
    const m = pseudoRandom(11, 3);
    const v = pseudoRandom(11, 4).map((x) => x * x);
    const hp = { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.05 };
    const want = adamwReference(p, g, m, v, 1, { ...hp, maxGradNorm: 0, t: 4 });
    const got = adamwUpdate(tf.tensor1d(p), tf.tensor1d(g), { m: tf.tensor1d(m), v: tf.tensor1d(v) }, hp, 4);
    expect(relativeError((await got.param.data()) as Float32Array, want.param)).toBeLessThan(1e-6);
    expect(relativeError((await got.v.data()) as Float32Array, want.v)).toBeLessThan(1e-6);
  });
});

describe.skipIf(!dawnAvailable)('fused AdamW on WebGPU (Dawn)', () => {
  it('matches the reference: clipping, decay, bias correction and the non-finite guard', async () => {
    await useDawnWebGPU();
    const before = tf.memory().numTensors;
    for (const c of await checkAdamW()) for (const [what, err] of Object.entries(c.errors)) expect(err, `${c.shape} ${what}`).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
  });
});
