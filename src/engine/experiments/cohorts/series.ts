// Cohorts chart data from stored cells: per-cohort held-out exact match per mitigation, the overall score at the cohort
// shares, the gap between cohorts and paired changes, each a mean over seeds with a two-level interval (seeds, then items).
import { differenceOf, twoLevelBootstrap, type Estimate, type SeedItems } from '../resample';
import { finalEval, scoreEstimate, seedItems, type Difference } from '../series';
import type { CellEval, ExperimentSpec, StoredCell } from '../types';
import { cohortProbeName } from './probes';

/** A mitigation setting: one group of cells (every seed of it). */
export interface CohortVariant {
  balance: number;
  reweight: number;
  label: string;
  /** Its finished cells in seed order (the bootstrap draws seeds by position). */
  cells: StoredCell[];
}

/** "as sampled", "balanced sampling", "loss reweighting", or the values when partial or combined. */
export function variantLabel(balance: number, reweight: number): string {
  if (balance === 0 && reweight === 0) return 'as sampled';
  if (reweight === 0) return balance === 1 ? 'balanced sampling' : `balanced sampling ${balance}`;
  if (balance === 0) return reweight === 1 ? 'loss reweighting' : `loss reweighting ${reweight}`;
  return `balanced ${balance} + reweighted ${reweight}`;
}

/** The cohorts of the spec, largest share first (the majority, then the minorities). */
export function cohortsOf(spec: ExperimentSpec): string[] {
  const shares = spec.fixed.cohorts ?? {};
  return Object.keys(shares).sort((a, b) => shares[b] - shares[a]);
}

/** The cells grouped by mitigation, the unmitigated group first. */
export function cohortVariants(cells: readonly StoredCell[]): CohortVariant[] {
  const groups = new Map<string, CohortVariant>();
  for (const c of [...cells].sort((a, b) => a.seed - b.seed)) {
    const { balance, reweight } = c.settings;
    const key = `${balance}|${reweight}`;
    if (!groups.has(key)) groups.set(key, { balance, reweight, label: variantLabel(balance, reweight), cells: [] });
    groups.get(key)!.cells.push(c);
  }
  return [...groups.values()].sort((a, b) => a.balance + a.reweight - (b.balance + b.reweight) || a.balance - b.balance);
}

/** The overall score as a deployment with the training shares would see it: Σ share × cohort score. */
function sharesStatistic(weights: number[]): (m: number[][]) => number {
  return (m) => m.reduce((s, g, i) => s + weights[i] * (g.length > 1 ? g[1] - g[0] : g[0]), 0);
}

function shareWeights(spec: ExperimentSpec, cohorts: string[]): number[] {
  return cohorts.map((c) => spec.fixed.cohorts?.[c] ?? 0);
}

/** One cohort's score at an eval (final unless `at` says otherwise), over seeds. */
export function cohortScore(spec: ExperimentSpec, evals: readonly CellEval[], cohort: string): Estimate {
  return scoreEstimate(evals, cohortProbeName(spec.target, cohort));
}

/** The overall score at the training shares, over seeds. */
export function overallScore(spec: ExperimentSpec, evals: readonly CellEval[]): Estimate {
  const cohorts = cohortsOf(spec);
  const probes = cohorts.map((c) => cohortProbeName(spec.target, c));
  return twoLevelBootstrap(evals.map((e) => seedItems([e], probes)), sharesStatistic(shareWeights(spec, cohorts)), { clip: [0, 1] });
}

/** Paired change of the overall score at the shares, `to − from` per seed on the same items. */
export function overallChange(spec: ExperimentSpec, pairs: readonly { from: CellEval; to: CellEval }[]): Difference {
  const cohorts = cohortsOf(spec);
  const probes = cohorts.map((c) => cohortProbeName(spec.target, c));
  const w = shareWeights(spec, cohorts);
  const estimate = twoLevelBootstrap(pairs.map((p) => seedItems([p.from, p.to], probes)), sharesStatistic(w), { clip: [-1, 1] });
  const values = pairs.map((p) => probes.reduce((s, probe, i) => s + w[i] * ((p.to.scores[probe] ?? NaN) - (p.from.scores[probe] ?? NaN)), 0));
  return { ...estimate, values };
}

/**
 * The gap `cohort − reference` within each run's eval, paired item by item (item i is the same ticket in both forms),
 * over seeds.
 */
export function cohortGap(spec: ExperimentSpec, evals: readonly CellEval[], cohort: string, reference: string): Difference {
  const [a, b] = [cohortProbeName(spec.target, reference), cohortProbeName(spec.target, cohort)];
  const units: SeedItems[] = evals.map((e) => {
    const [x, y] = [e.items?.[a], e.items?.[b]];
    return { groups: [x && y && x.length === y.length ? x.map((v, i) => [v, y[i]]) : [[e.scores[a], e.scores[b]]]] };
  });
  const estimate = twoLevelBootstrap(units, differenceOf(0, 1), { clip: [-1, 1] });
  return { ...estimate, values: evals.map((e) => e.scores[b] - e.scores[a]) };
}

/** Pairs of final evals of two variants that share a seed (same seed, same items). */
export function pairsBySeed(from: readonly StoredCell[], to: readonly StoredCell[]): { from: CellEval; to: CellEval }[] {
  return from.flatMap((a) => to.filter((b) => b.seed === a.seed).slice(0, 1).map((b) => ({ from: finalEval(a), to: finalEval(b) })));
}

/** First (before training) and final eval of each run of a variant. */
export function fromBase(variant: CohortVariant): { from: CellEval; to: CellEval }[] {
  return variant.cells.filter((c) => c.evals.length >= 2).map((c) => ({ from: c.evals[0], to: finalEval(c) }));
}

/** One plotted mark of the per-cohort chart. */
export interface CohortPoint extends Estimate {
  /** "base, before fine-tuning" or a mitigation's label. */
  variant: string;
  /** A cohort ("us (share 0.95)") or "overall at the shares". */
  series: string;
  runIds: string[];
}

export const OVERALL_SERIES = 'overall at the shares';

export function cohortSeriesName(spec: ExperimentSpec, cohort: string): string {
  return `${cohort} (share ${spec.fixed.cohorts?.[cohort]})`;
}

export const BASE_VARIANT = 'base, before fine-tuning';

/** Per variant (and the base before training, from the unmitigated runs' first eval): each cohort and the overall score. */
export function cohortPoints(spec: ExperimentSpec, cells: readonly StoredCell[]): CohortPoint[] {
  const variants = cohortVariants(cells);
  const points: CohortPoint[] = [];
  const add = (variant: string, evals: CellEval[], runIds: string[]) => {
    for (const c of cohortsOf(spec)) points.push({ variant, series: cohortSeriesName(spec, c), runIds, ...cohortScore(spec, evals, c) });
    points.push({ variant, series: OVERALL_SERIES, runIds, ...overallScore(spec, evals) });
  };
  const first = variants[0];
  if (first && first.cells.every((c) => c.evals.length >= 2)) add(BASE_VARIANT, first.cells.map((c) => c.evals[0]), first.cells.map((c) => c.runId));
  for (const v of variants) add(v.label, v.cells.map(finalEval), v.cells.map((c) => c.runId));
  return points;
}
