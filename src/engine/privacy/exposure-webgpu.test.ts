// Exposure on tfjs WebGPU in Node (Dawn, fused kernels): the shared-prefix tree ranks like brute force (every candidate scored alone).
import { describe, expect, it } from 'vitest';
import { dawnAvailable, useDawnWebGPU } from '../backend/kernels/dawn-webgpu';
import { useFusedKernels } from '../backend/kernels/webgpu-backend';
import { tf } from '../backend/tf';
import { evalModelOf } from '../eval/eval-model';
import { seedBaseConfig } from '../experiments/base';
import { createModel } from '../models/causal-lm';
import { candidateChoices, candidateCount, candidateIndex, parseCanaryTemplate, renderCanary } from './canary-template';
import { exposureOf, measureExposure } from './exposure';
import { privacyModelOf } from './privacy-model';

const CHARS = [...' abcdefghijklmnopqrstuvwxyz0123456789.:'];
const encode = (text: string) => [...text].map((c) => CHARS.indexOf(c));

describe.skipIf(!dawnAvailable)('exposure on WebGPU (Dawn)', () => {
  it('the prefix tree on the shared-prefix cache gives brute force’s rank and log-likelihood for several secrets', { timeout: 600_000 }, async () => {
    await useDawnWebGPU();
    expect(useFusedKernels()).toBe(true);
    // d 32 over 2 heads: head size 16, so the fused kernels run the brute-force forwards.
    const model = createModel(seedBaseConfig(CHARS.length), { seed: 5 });
    const single = evalModelOf(model);
    const pm = privacyModelOf(model, null);
    const before = tf.memory().numTensors;
    for (const template of ['pin is {dd}.', 'id {d}.{d}']) {
      const t = parseCanaryTemplate(template);
      const from = encode(typeof t.parts[0] === 'string' ? t.parts[0] : '').length;
      const n = candidateCount(t);
      const brute = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const lp = (await single.scoreTokens(encode(renderCanary(t, candidateChoices(t, i))))).logprobs;
        for (let p = from; p < lp.length; p++) brute[i] += lp[p];
      }
      for (const choices of [[4, 7], [0, 0], [9, 1], [2, 5]]) {
        const secret = brute[candidateIndex(t, choices)];
        const rank = 1 + brute.filter((x) => x > secret).length;
        const result = await measureExposure(pm, { encode }, template, choices);
        expect(result.path).toBe('prefix-tree');
        expect(result.rank, `${template} ${choices}`).toBe(rank);
        expect(result.exposure).toBeCloseTo(exposureOf(n, rank), 10);
        expect(result.secretLogLikelihood).toBeCloseTo(secret, 3);
      }
    }
    expect(tf.memory().numTensors).toBe(before); // every tree level's cache freed
    model.dispose();
  });
});
