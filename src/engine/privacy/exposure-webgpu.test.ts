// Exposure on tfjs WebGPU in Node (Dawn, fused kernels): the shared-prefix tree ranks like brute force (every candidate scored alone).
import { describe, expect, it } from 'vitest';
import { dawnAvailable, useDawnWebGPU } from '../backend/kernels/dawn-webgpu';
import { setFusedKernels, useFusedKernels } from '../backend/kernels/webgpu-backend';
import { tf } from '../backend/tf';
import { evalModelOf } from '../eval/eval-model';
import { seedBaseConfig } from '../experiments/base';
import { createModel } from '../models/causal-lm';
import { sharedPrefixAttention } from '../models/shared-prefix-attention';
import { pickLogSoftmax, treeAttentionLevels } from '../backend/ops';
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

  it('three one-token levels, read through their row indices (tree-level cache), rank like every candidate scored in full', { timeout: 600_000 }, async () => {
    await useDawnWebGPU();
    const model = createModel(seedBaseConfig(CHARS.length), { seed: 7 });
    const pm = privacyModelOf(model, null);
    const before = tf.memory().numTensors;
    const template = 'pin {ddd}';
    const t = parseCanaryTemplate(template);
    const from = encode('pin ').length;
    const n = candidateCount(t);
    // Brute force: each candidate fed whole from its first token (no cache, no tree), its slot tokens summed.
    const seqs = Array.from({ length: n }, (_, i) => encode(renderCanary(t, candidateChoices(t, i))));
    const brute = (await pm.scoreRows(seqs, seqs.map(() => from), false)).sums;
    for (const choices of [[4, 7, 1], [0, 0, 0], [9, 1, 3]]) {
      const secret = brute[candidateIndex(t, choices)];
      const rank = 1 + brute.filter((x) => x > secret).length;
      for (const prune of [true, false]) {
        const result = await measureExposure(pm, { encode }, template, choices, { prune });
        expect(result.path).toBe('prefix-tree');
        expect(result.rank, `${choices} prune ${prune}`).toBe(rank);
        expect(result.secretLogLikelihood).toBeCloseTo(secret, 3);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('the tree-level attention kernel (ancestors through row indices) equals the stock composition on gathered caches', { timeout: 120_000 }, async () => {
    await useDawnWebGPU();
    const r = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
    const [B, H, D, P] = [5, 4, 8, 6];
    const C = H * D;
    const qkv = r([B, 3 * C], 1);
    const kp = r([H, P, D], 2);
    const vp = r([H, P, D], 3);
    // Two ancestor levels of 3 and 4 rows; each row's ancestors picked by index (repeats and reordering included).
    const levels = [r([3, 3 * C], 4), r([4, 3 * C], 5)];
    const rows = [[2, 0, 0, 1, 2], [3, 3, 1, 0, 2]].map((x) => tf.tensor1d(x, 'int32'));
    const fused = await treeAttentionLevels(qkv, kp, vp, levels.map((q, j) => ({ qkv: q, rows: rows[j] })))!.data();
    const stock = await tf.tidy(() => {
      const heads = (x: tf.Tensor, offset: number) => tf.reshape(tf.slice(x, [0, offset], [B, C]), [B, H, 1, D]); // [B, H, 1, D]
      const picked = [...levels.map((q, j) => tf.gather(q, rows[j], 0)), qkv]; // each [B, 3C]
      const kt = tf.concat(picked.map((x) => heads(x, C)), 2); // [B, H, 3, D]
      const vt = tf.concat(picked.map((x) => heads(x, 2 * C)), 2);
      setFusedKernels(false);
      const out = tf.reshape(sharedPrefixAttention(heads(qkv, 0), kp, vp, kt, vt), [B, C]);
      setFusedKernels(true);
      return out;
    }).data();
    const diff = Math.max(...Array.from(fused, (x, i) => Math.abs(x - stock[i])));
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([qkv, kp, vp, ...levels, ...rows]);
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

  it('the picked log-softmax kernel equals log-softmax then gather', { timeout: 60_000 }, async () => {
    await useDawnWebGPU();
    const logits = tf.mul(tf.randomNormal([37, 512], 0, 1, 'float32', 9), 6); // wide logits: the max shift matters
    const ids = tf.tensor1d([3, 0, 511, 3, 200], 'int32');
    const fused = await pickLogSoftmax(logits, ids).data();
    setFusedKernels(false);
    const stock = await pickLogSoftmax(logits, ids).data();
    setFusedKernels(true);
    expect(fused.length).toBe(37 * 5);
    expect(Math.max(...Array.from(fused, (x, i) => Math.abs(x - stock[i])))).toBeLessThan(1e-4);
    tf.dispose([logits, ids]);
  });
});
