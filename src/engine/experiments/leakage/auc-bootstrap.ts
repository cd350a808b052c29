// Two-level bootstrap of membership-inference AUCs: seeds resampled, then members and non-members within each seed.
import { percentile } from '../../eval/bootstrap';
import { aucOf } from '../../privacy/mia';
import { Rng } from '../../rng';
import type { Estimate } from '../resample';
import { DEFAULT_RESAMPLES } from '../resample';
import type { MiaScores } from '../types';

/**
 * One seed's attack scores under several conditions (e.g. two checkpoints of one run, or two methods trained with the
 * same seed) on the same records: resampling a record moves its scores under every condition together (paired).
 */
export interface AucUnit {
  conditions: MiaScores[];
}

/** A seed's statistic of the conditions' AUCs (the AUC itself, or a difference of two). */
export type AucStatistic = (aucs: number[]) => number;

function resampled(values: readonly number[], picks: Int32Array): Float64Array {
  const out = new Float64Array(picks.length);
  for (let i = 0; i < picks.length; i++) out[i] = values[picks[i]];
  return out;
}

/**
 * Mean over seeds of the statistic on all records, and the 2.5th–97.5th percentiles of the two-level bootstrap:
 * draw seeds with replacement, then within each drawn seed draw members and non-members with replacement (the same
 * draws for every condition), and average the statistic over the drawn seeds.
 */
export function aucBootstrap(units: readonly AucUnit[], statistic: AucStatistic, options: { seed?: number; resamples?: number; clip?: [number, number] } = {}): Estimate {
  const S = units.length;
  const items = S ? Math.min(...units.flatMap((u) => u.conditions.map((c) => Math.min(c.members.length, c.nonMembers.length)))) : 0;
  if (S === 0 || items === 0) return { mean: NaN, lo: NaN, hi: NaN, n: S, items };
  const aucs = (u: AucUnit) => u.conditions.map((c) => aucOf(c.members, c.nonMembers));
  const mean = units.reduce((s, u) => s + statistic(aucs(u)), 0) / S;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const rng = new Rng(options.seed ?? 0);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let total = 0;
    for (let s = 0; s < S; s++) {
      const unit = units[rng.int(S)];
      const first = unit.conditions[0];
      const m = Int32Array.from({ length: first.members.length }, () => rng.int(first.members.length));
      const n = Int32Array.from({ length: first.nonMembers.length }, () => rng.int(first.nonMembers.length));
      total += statistic(unit.conditions.map((c) => aucOf(resampled(c.members, m), resampled(c.nonMembers, n))));
    }
    stats[b] = total / S;
  }
  stats.sort();
  const [min, max] = options.clip ?? [-Infinity, Infinity];
  const clip = (x: number) => Math.min(max, Math.max(min, x));
  return { mean, lo: clip(percentile(stats, 0.025)), hi: clip(percentile(stats, 0.975)), n: S, items };
}
