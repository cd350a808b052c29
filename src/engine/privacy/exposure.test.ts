// Exposure against brute force (every candidate scored alone through the eval adapter) and hand-computed cases.
import { beforeAll, expect, test } from 'vitest';
import { initNodeBackend } from '../../../scripts/experiments/backend';
import { tf } from '../backend/tf';
import { ExposureSpaceError } from '../errors';
import { evalModelOf } from '../eval/eval-model';
import { seedBaseConfig } from '../experiments/base';
import { createModel } from '../models/causal-lm';
import { candidateChoices, candidateCount, candidateIndex, parseCanaryTemplate, renderCanary } from './canary-template';
import { exposureOf, measureExposure, measureExposures, measureExtraction } from './exposure';
import { privacyModelOf, type PrivacyModel } from './privacy-model';

const CHARS = [...' abcdefghijklmnopqrstuvwxyz0123456789.:'];
const charTokenizer = {
  encode: (text: string) => [...text].map((c) => CHARS.indexOf(c)),
  decode: (ids: number[]) => ids.map((i) => CHARS[i]).join(''),
};

beforeAll(async () => {
  await initNodeBackend('wasm');
});

/** Brute force: every candidate fed alone through the eval harness's single-sequence scorer; rank by its own sums. */
async function bruteForceExposure(template: string, choices: number[], score: (ids: number[]) => Promise<Float64Array>): Promise<{ exposure: number; secret: number }> {
  const t = parseCanaryTemplate(template);
  const from = charTokenizer.encode(typeof t.parts[0] === 'string' ? t.parts[0] : '').length;
  const n = candidateCount(t);
  const ll = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lp = await score(charTokenizer.encode(renderCanary(t, candidateChoices(t, i))));
    for (let p = from; p < lp.length; p++) ll[i] += lp[p];
  }
  const secret = ll[choices.reduce((idx, c, k) => idx * t.elements[k].options.length + c, 0)];
  return { exposure: exposureOf(n, 1 + ll.filter((x) => x > secret).length), secret };
}

test('exact exposure through the prefix tree and the full path equals brute force on a seeded tiny GPT', { timeout: 180_000 }, async () => {
  const model = createModel(seedBaseConfig(CHARS.length), { seed: 11 });
  const single = evalModelOf(model);
  const pm = privacyModelOf(model, null);
  const score = async (ids: number[]) => (await single.scoreTokens(ids)).logprobs as Float64Array;
  for (const [template, choices] of [
    ['pin is {dd}.', [4, 7]],
    ['code {ad}', [2, 9]],
    ['id {d}.{d}:', [3, 8]], // fixed text between slot elements: tree nodes feed two tokens on their parent's cache
    ['my pet is {w:cat|dog|owl|emu} now', [2]],
  ] as [string, number[]][]) {
    const result = await measureExposure(pm, charTokenizer, template, choices);
    const brute = await bruteForceExposure(template, choices, score);
    expect(result.method).toBe('exact');
    expect(result.path).toBe(template.includes('{w:') ? 'full' : 'prefix-tree');
    expect(result.exposure).toBeCloseTo(brute.exposure, 10);
    expect(result.secretLogLikelihood).toBeCloseTo(brute.secret, 4);
  }
  // The tree feeds the prefix once, then each node on its parent's cache: 1 + 10 + 100 rows for {dd}. (the suffix
  // needs the leaves fed); without a suffix the leaves come from their parents' next-token log-probs: 1 + 10.
  expect((await measureExposure(pm, charTokenizer, 'pin is {dd}.', [0, 0])).forwardRows).toBe(111);
  expect((await measureExposure(pm, charTokenizer, 'pin is {dd}', [0, 0])).forwardRows).toBe(11);
  // The row path (no cache: every node's whole sequence fed) gives the same exposures.
  const rowsOnly: PrivacyModel = { scoreRows: pm.scoreRows, generateGreedy: pm.generateGreedy };
  for (const choices of [[4, 7], [0, 0], [9, 1]]) {
    expect((await measureExposure(rowsOnly, charTokenizer, 'pin is {dd}.', choices)).exposure).toBeCloseTo((await measureExposure(pm, charTokenizer, 'pin is {dd}.', choices)).exposure, 10);
  }
  model.dispose();
});

test('pruned tree and several secrets in one pass rank like brute force; a likely secret feeds fewer rows', { timeout: 180_000 }, async () => {
  const model = createModel(seedBaseConfig(CHARS.length), { seed: 23 });
  // Peaked next-token distributions (a seeded model's are near uniform, where no node falls below a secret): the tied
  // head's logits scaled ×12.
  const wte = model.variable('transformer.wte.weight');
  wte.assign(tf.mul(wte, 12));
  const single = evalModelOf(model);
  const pm = privacyModelOf(model, null);
  const t = parseCanaryTemplate('pin is {dd}.');
  const n = candidateCount(t);
  const brute = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lp = (await single.scoreTokens(charTokenizer.encode(renderCanary(t, candidateChoices(t, i))))).logprobs;
    for (let p = charTokenizer.encode('pin is ').length; p < lp.length; p++) brute[i] += lp[p];
  }
  const bruteRank = (i: number) => 1 + brute.filter((x) => x > brute[i]).length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => brute[b] - brute[a]);
  // Secrets across the ranking, each alone (its own pruning floor), with pruning on and off.
  for (const position of [0, 1, 4, 20, 50, 98, 99]) {
    const i = order[position];
    const pruned = await measureExposure(pm, charTokenizer, 'pin is {dd}.', candidateChoices(t, i));
    const full = await measureExposure(pm, charTokenizer, 'pin is {dd}.', candidateChoices(t, i), { prune: false });
    expect(pruned.rank, `secret ${i}`).toBe(bruteRank(i));
    expect(full.rank).toBe(bruteRank(i));
    expect(full.forwardRows).toBe(111);
    expect(pruned.forwardRows).toBeLessThanOrEqual(111);
    expect(pruned.secretLogLikelihood).toBeCloseTo(brute[i], 4);
  }
  // The most likely candidate: every leaf below it is skipped, so only the rows on its way (and ties) are fed.
  expect((await measureExposure(pm, charTokenizer, 'pin is {dd}.', candidateChoices(t, order[0]))).forwardRows).toBeLessThan(111);
  // All 100 secrets at once: one pass, each ranked as alone.
  const all = await measureExposures(pm, charTokenizer, 'pin is {dd}.', Array.from({ length: n }, (_, i) => candidateChoices(t, i)));
  expect(all.map((r) => r.rank)).toEqual(Array.from({ length: n }, (_, i) => bruteRank(i)));
  expect(candidateIndex(t, candidateChoices(t, order[0]))).toBe(order[0]);
  model.dispose();
});

/** A model whose log-probability of token v is −v at every position: candidates rank by their digits' token ids. */
const handModel: PrivacyModel = {
  async scoreRows(sequences, from, withNext) {
    const V = CHARS.length;
    const sums = new Float64Array(sequences.length);
    const counts = new Int32Array(sequences.length);
    const next = new Float32Array(withNext ? sequences.length * V : 0);
    sequences.forEach((s, r) => {
      for (let t = Math.max(1, from[r]); t < s.length; t++) sums[r] -= s[t];
      counts[r] = s.length - Math.max(1, from[r]);
      if (withNext) for (let v = 0; v < V; v++) next[r * V + v] = -v;
    });
    return { sums, counts, next, vocab: V };
  },
  async generateGreedy(_prompt, maxNew) {
    return Array.from({ length: maxNew }, () => CHARS.indexOf('0'));
  },
};

test('hand-computed exposure: secret digit 3 of 10 ranks 4th, exposure log2(10) − 2', async () => {
  const r = await measureExposure(handModel, charTokenizer, 'pin {d}', [3]);
  expect(r.rank).toBe(4);
  expect(r.exposure).toBeCloseTo(Math.log2(10) - 2, 12);
  // Two digits 1 and 2 (sum 3): candidates strictly more likely have a digit sum below 3: 00, 01, 10, 02, 11, 20 → rank 7.
  const two = await measureExposure(handModel, charTokenizer, 'pin {dd}!', [1, 2]);
  expect(two.rank).toBe(7);
  expect(two.exposure).toBeCloseTo(Math.log2(100) - Math.log2(7), 12);
});

test('a space beyond the exact limit is refused without consent; the skew-normal estimate lands near the exact exposure', async () => {
  await expect(measureExposure(handModel, charTokenizer, 'pin {dddddd}', [1, 2, 3, 4, 5, 0], { exactLimit: 1000 })).rejects.toBeInstanceOf(ExposureSpaceError);
  const choices = [1, 2, 3, 1, 2, 1]; // digit sum 10 over 6 digits
  const estimate = await measureExposure(handModel, charTokenizer, 'pin {dddddd}', choices, { exactLimit: 1000, allowEstimate: true, samples: 4000, seed: 3 });
  expect(estimate.method).toBe('estimate');
  // Exact by counting: candidates strictly more likely have a digit sum below 10 (dynamic programme over digits).
  let ways = [1];
  for (let d = 0; d < 6; d++) {
    const nextWays = new Array(ways.length + 9).fill(0);
    ways.forEach((w, s) => { for (let x = 0; x < 10; x++) nextWays[s + x] += w; });
    ways = nextWays;
  }
  const rank = 1 + ways.slice(0, 10).reduce((a, b) => a + b, 0);
  const exact = Math.log2(1e6) - Math.log2(rank);
  expect(Math.abs(estimate.exposure - exact)).toBeLessThan(1);
});

test('extraction: greedy decoding that emits the secret verbatim is extracted, any other is not', async () => {
  expect((await measureExtraction(handModel, charTokenizer, 'pin {ddd}', [0, 0, 0])).extracted).toBe(true);
  expect(await measureExtraction(handModel, charTokenizer, 'pin {ddd}', [0, 1, 0])).toEqual({ extracted: false, emitted: '000', secret: '010' });
});
