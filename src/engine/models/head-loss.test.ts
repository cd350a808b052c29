// The loss over row chunks of logits (head-loss.ts) on the CPU backend: its plan, and loss and gradients against float64 loops.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { tf } from '../backend/tf';
import { GpuMemoryError } from '../errors';
import { headLossChecks } from './head-loss-check';
import { lossRowChunks } from './head-loss';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('loss over row chunks of the logits', () => {
  it('plans equal chunks under the limit, one when the logits fit, and refuses a row no buffer holds', () => {
    expect(lossRowChunks(256, 1000, Infinity)).toEqual([256]);
    expect(lossRowChunks(256, 1000, 256 * 4000)).toEqual([256]);
    expect(lossRowChunks(13, 37, 4 * 37 * 4)).toEqual([4, 3, 3, 3]);
    // Qwen3-0.6B at seq 256 on lavapipe's 128 MiB binding: 148 MiB of logits become two chunks of 128 rows (74 MiB).
    expect(lossRowChunks(256, 151936, 128 * 2 ** 20)).toEqual([128, 128]);
    // Gemma 3 (262,144 tokens, 1 MiB a row) at batch 4 × 256 on the same limit: 8 chunks of 128 rows.
    expect(lossRowChunks(1024, 262144, 128 * 2 ** 20)).toEqual(Array(8).fill(128));
    expect(() => lossRowChunks(4, 1000, 3999)).toThrow(GpuMemoryError);
    expect(() => lossRowChunks(4, 1000, 3999)).toThrow(/One row of logits \(1000 float32 values, 4000 bytes\)/);
  });

  it('loss, hits and gradients into x and every head chunk equal the float64 reference, in one chunk or several', async () => {
    const before = tf.memory().numTensors;
    const checks = await headLossChecks();
    for (const c of checks) console.log(`${c.error.toExponential(2)}  ${c.what}`);
    for (const c of checks) expect(c.error, c.what).toBeLessThan(1e-5);
    expect(checks.filter((c) => c.what.includes('rows in 3 chunks') || c.what.includes('rows in 4 chunks')).length).toBe(8);
    expect(tf.memory().numTensors).toBe(before);
  });
});
