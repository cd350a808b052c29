// The embedding gather's scatter-add gradient against its reference on the CPU backend and on WebGPU (Dawn).
import { describe, expect, it } from 'vitest';
import { tf } from '../../tf';
import { dawnAvailable, useDawnWebGPU } from '../dawn-webgpu';
import { checkEmbedding } from './embedding-check';

async function expectEmbeddingMatches(): Promise<void> {
  const before = tf.memory().numTensors;
  for (const c of await checkEmbedding()) for (const [what, err] of Object.entries(c.errors)) expect(err, what).toBeLessThan(1e-6);
  expect(tf.memory().numTensors).toBe(before);
}

describe('embeddingGather', () => {
  it('gathers rows and sums repeated ids in the gradient on the CPU backend', async () => {
    await tf.setBackend('cpu');
    await expectEmbeddingMatches();
  });
  it.skipIf(!dawnAvailable)('does the same on WebGPU (Dawn)', async () => {
    await useDawnWebGPU();
    await expectEmbeddingMatches();
  });
});
