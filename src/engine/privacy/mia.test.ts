// Membership inference figures against a hand-computed case, and the calibrated score against losses measured apart (LoRA merged vs switched off).
import { beforeAll, expect, test } from 'vitest';
import { initBackend } from '../backend/init';
import { tf } from '../backend/tf';
import { evalModelOf } from '../eval/eval-model';
import { seedBaseConfig } from '../experiments/base';
import { LoraAdapter } from '../lora/adapter';
import { mergeLora, unmergeLora } from '../lora/merge';
import { createModel } from '../models/causal-lm';
import { Rng } from '../rng';
import { aucOf, bootstrapAuc, calibratedScores, membershipInference, rocCurve, tprAtFpr } from './mia';
import { privacyModelOf } from './privacy-model';

beforeAll(async () => {
  await initBackend('cpu');
});

test('hand-computed: AUC 7.5/9 with a tie, the ROC steps, TPR at 0% and 34% FPR', () => {
  const members = [0.9, 0.8, 0.4];
  const non = [0.7, 0.3, 0.4];
  // Pairs won: 0.9 → 3, 0.8 → 3, 0.4 → 1 (over 0.3) + ½ (tie with 0.4) = 7.5 of 9.
  expect(aucOf(members, non)).toBeCloseTo(7.5 / 9, 12);
  expect(rocCurve(members, non)).toEqual([
    { fpr: 0, tpr: 0 },
    { fpr: 0, tpr: 1 / 3 },
    { fpr: 0, tpr: 2 / 3 },
    { fpr: 1 / 3, tpr: 2 / 3 },
    { fpr: 2 / 3, tpr: 1 },
    { fpr: 1, tpr: 1 },
  ]);
  expect(tprAtFpr(members, non, 0.01)).toBeCloseTo(2 / 3, 12);
  expect(tprAtFpr(members, non, 0.34)).toBeCloseTo(2 / 3, 12);
  expect(tprAtFpr(members, non, 0.67)).toBe(1);
  // Separable scores: AUC 1 and every resample too; identical scores: ½.
  expect(bootstrapAuc([3, 4, 5], [0, 1, 2], 7, 200)).toEqual([1, 1]);
  expect(aucOf([1, 1], [1, 1, 1])).toBe(0.5);
  const [lo, hi] = bootstrapAuc(members, non, 3, 500);
  expect(lo).toBeLessThan(7.5 / 9);
  expect(hi).toBeGreaterThanOrEqual(7.5 / 9);
});

test('calibrated score = reference loss − fine-tuned loss in float64 (a float32 difference would lose it)', () => {
  const ft = [1e8, 3];
  const ref = [1e8 + 0.5, 3.25];
  expect(Array.from(calibratedScores(ft, ref))).toEqual([0.5, 0.25]);
  expect(Math.fround(1e8 + 0.5) - Math.fround(1e8)).not.toBe(0.5);
});

test('calibrated attack with LoRA switched off equals the merged fine-tune\'s loss minus the base\'s, each scored alone', async () => {
  const V = 30;
  const model = createModel(seedBaseConfig(V), { seed: 4 });
  const adapter = LoraAdapter.create(model.linearModules, { r: 2, lora_alpha: 4, lora_dropout: 0, target_modules: ['c_attn', 'c_fc'] }, 2);
  for (const m of adapter.modules.values()) {
    const b = tf.randomNormal(m.B.shape, 0, 0.5, 'float32', 9);
    m.B.assign(b);
    b.dispose();
  }
  const rng = new Rng(5);
  const rec = () => ({ ids: Array.from({ length: 6 + rng.int(20) }, () => rng.int(V)), from: 1 + rng.int(4) });
  const members = Array.from({ length: 6 }, rec);
  const non = Array.from({ length: 5 }, rec);
  const report = await membershipInference(privacyModelOf(model, adapter), privacyModelOf(model, null), members, non, 1);
  // Independent path: one sequence at a time through the eval adapter, LoRA merged into the weights, then unmerged.
  const meanLoss = async (ids: number[], from: number) => {
    const lp = (await evalModelOf(model).scoreTokens(ids)).logprobs;
    let s = 0;
    for (let t = from; t < ids.length; t++) s -= lp[t];
    return s / (ids.length - from);
  };
  const base = await Promise.all([...members, ...non].map((r) => meanLoss(r.ids, r.from)));
  mergeLora(model, adapter);
  const tuned = await Promise.all([...members, ...non].map((r) => meanLoss(r.ids, r.from)));
  unmergeLora(model, adapter);
  const expected = base.map((b, i) => b - tuned[i]);
  const got = [...report.calibrated!.memberScores, ...report.calibrated!.nonMemberScores];
  expect(expected.some((x) => Math.abs(x) > 0.01)).toBe(true); // the adapter changes the losses
  got.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 4));
  [...report.loss.memberScores, ...report.loss.nonMemberScores].forEach((x, i) => expect(x).toBeCloseTo(-tuned[i], 4));
  adapter.dispose();
  model.dispose();
});
