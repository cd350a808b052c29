// Membership inference: the loss attack and the reference-calibrated attack, ROC, AUC with a bootstrap interval, TPR at a fixed FPR.
import { Rng } from '../rng';
import type { PrivacyModel } from './privacy-model';

/** A tokenized record: its loss is the mean negative log-likelihood of ids[t] for t ≥ from (the trained tokens). */
export interface MiaRecord {
  ids: number[];
  from: number;
}

export interface RocPoint {
  fpr: number;
  tpr: number;
}

export interface AttackResult {
  attack: 'loss' | 'calibrated';
  auc: number;
  /** 2.5th–97.5th percentile of the AUC over resamples of members and non-members (each with replacement). */
  ci: [number, number];
  /** Largest TPR among thresholds whose FPR ≤ 1%. */
  tprAt1Fpr: number;
  roc: RocPoint[];
  /** Membership scores (higher = more likely a member), as measured. */
  memberScores: number[];
  nonMemberScores: number[];
}

export interface MiaReport {
  members: number;
  nonMembers: number;
  loss: AttackResult;
  /** Null when no reference model was given (a full fine-tune without its base at hand). */
  calibrated: AttackResult | null;
}

/** Mean per-token loss (nats) of each record under the model, batched. */
export async function recordLosses(model: PrivacyModel, records: readonly MiaRecord[], signal?: AbortSignal): Promise<Float64Array> {
  const scored = await model.scoreRows(records.map((r) => r.ids), records.map((r) => r.from), false, signal);
  return scored.sums.map((s, i) => (scored.counts[i] > 0 ? -s / scored.counts[i] : NaN));
}

/** Loss attack score: −loss (a member's loss is lower). */
export function lossAttackScores(losses: ArrayLike<number>): Float64Array {
  return Float64Array.from(losses, (l) => -l);
}

/** Calibrated score: reference loss − fine-tuned loss (how much fine-tuning lowered this record's loss), in float64. */
export function calibratedScores(fineTuned: ArrayLike<number>, reference: ArrayLike<number>): Float64Array {
  return Float64Array.from(fineTuned, (l, i) => reference[i] - l);
}

/** Area under the ROC curve = P(member score > non-member score) + ½ P(equal) (Mann–Whitney). */
export function aucOf(members: ArrayLike<number>, nonMembers: ArrayLike<number>): number {
  const nonSorted = Float64Array.from(nonMembers).sort();
  let total = 0;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    total += lowerBound(nonSorted, m) + 0.5 * (upperBound(nonSorted, m) - lowerBound(nonSorted, m));
  }
  return total / (members.length * nonMembers.length);
}

function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The ROC curve of the rule "score ≥ τ ⇒ member", τ over every distinct score from high to low, from (0,0) to (1,1). */
export function rocCurve(members: ArrayLike<number>, nonMembers: ArrayLike<number>): RocPoint[] {
  const all = [...Array.from(members, (s) => ({ s, m: 1 })), ...Array.from(nonMembers, (s) => ({ s, m: 0 }))].sort((a, b) => b.s - a.s);
  const points: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < all.length; i++) {
    if (all[i].m) tp++;
    else fp++;
    if (i === all.length - 1 || all[i + 1].s !== all[i].s) points.push({ fpr: fp / nonMembers.length, tpr: tp / members.length });
  }
  return points;
}

/** Largest TPR over thresholds with FPR ≤ maxFpr. */
export function tprAtFpr(members: ArrayLike<number>, nonMembers: ArrayLike<number>, maxFpr: number): number {
  let best = 0;
  for (const p of rocCurve(members, nonMembers)) if (p.fpr <= maxFpr + 1e-12 && p.tpr > best) best = p.tpr;
  return best;
}

/** Percentile bootstrap interval of the AUC: members and non-members resampled apart, seeded. */
export function bootstrapAuc(members: ArrayLike<number>, nonMembers: ArrayLike<number>, seed: number, resamples = 1000): [number, number] {
  const rng = new Rng(seed);
  const stats = new Float64Array(resamples);
  const m = new Float64Array(members.length);
  const n = new Float64Array(nonMembers.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < m.length; i++) m[i] = members[rng.int(members.length)];
    for (let i = 0; i < n.length; i++) n[i] = nonMembers[rng.int(nonMembers.length)];
    stats[r] = aucOf(m, n);
  }
  stats.sort();
  const at = (q: number) => {
    const pos = q * (resamples - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, resamples - 1);
    return stats[lo] + (stats[hi] - stats[lo]) * (pos - lo);
  };
  return [at(0.025), at(0.975)];
}

/** Every figure of one attack from its scores. */
export function attackResult(attack: AttackResult['attack'], members: ArrayLike<number>, nonMembers: ArrayLike<number>, seed: number): AttackResult {
  return {
    attack,
    auc: aucOf(members, nonMembers),
    ci: bootstrapAuc(members, nonMembers, seed),
    tprAt1Fpr: tprAtFpr(members, nonMembers, 0.01),
    roc: rocCurve(members, nonMembers),
    memberScores: Array.from(members),
    nonMemberScores: Array.from(nonMembers),
  };
}

/**
 * Both attacks over members (trained-on records) and non-members (held-out records of the same distribution).
 * `reference` is the model before fine-tuning: for LoRA, privacyModelOf(model, null), the adapter switched off.
 */
export async function membershipInference(model: PrivacyModel, reference: PrivacyModel | null, members: readonly MiaRecord[], nonMembers: readonly MiaRecord[], seed: number, signal?: AbortSignal): Promise<MiaReport> {
  const ftM = await recordLosses(model, members, signal);
  const ftN = await recordLosses(model, nonMembers, signal);
  const loss = attackResult('loss', lossAttackScores(ftM), lossAttackScores(ftN), seed);
  let calibrated: AttackResult | null = null;
  if (reference) {
    const refM = await recordLosses(reference, members, signal);
    const refN = await recordLosses(reference, nonMembers, signal);
    calibrated = attackResult('calibrated', calibratedScores(ftM, refM), calibratedScores(ftN, refN), seed);
  }
  return { members: members.length, nonMembers: nonMembers.length, loss, calibrated };
}
