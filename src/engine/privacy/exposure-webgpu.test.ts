// Exposure on tfjs WebGPU in Node (Dawn, fused kernels): the shared-prefix tree ranks like brute force (every candidate scored alone).
import { describe, expect, it } from 'vitest';
import { dawnAvailable, useDawnWebGPU } from '../backend/kernels/dawn-webgpu';
import { setFusedKernels, useFusedKernels } from '../backend/kernels/webgpu-backend';
import { tf } from '../backend/tf';
import { evalModelOf } from '../eval/eval-model';
import { seedBaseConfig } from '../experiments/base';
import { createModel } from '../models/causal-lm';
import { sharedPrefixAttention } from '../models/shared-prefix-attention';
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

  it('the one-token tree attention kernel equals the stock-op composition (sliding window and grouped heads too)', { timeout: 120_000 }, async () => {
    await useDawnWebGPU();
    const r = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
    for (const [Hkv, window] of [[4, Infinity], [4, 5], [2, Infinity], [2, 3]] as [number, number][]) {
      const q = r([5, 4, 1, 8], 1);
      const kp = r([Hkv, 6, 8], 2);
      const vp = r([Hkv, 6, 8], 3);
      const kt = r([5, Hkv, 3, 8], 4);
      const vt = r([5, Hkv, 3, 8], 5);
      const fused = await sharedPrefixAttention(q, kp, vp, kt, vt, window).data();
      setFusedKernels(false);
      const stock = await sharedPrefixAttention(q, kp, vp, kt, vt, window).data();
      setFusedKernels(true);
      const diff = Math.max(...Array.from(fused, (x, i) => Math.abs(x - stock[i])));
      expect(diff, `Hkv ${Hkv}, window ${window}`).toBeLessThan(1e-5);
      tf.dispose([q, kp, vp, kt, vt]);
    }
  });
});
