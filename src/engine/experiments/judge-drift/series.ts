// Judge drift numbers from its cells: per round and arm, exact match and the judge's win rate with two-level intervals, and their changes from round 0.
import { differenceOf, scoreOf, twoLevelBootstrap, type Estimate, type SeedItems } from '../resample';
import type { CellResult } from '../types';
import { DRIFT_ARMS, driftKey, JUDGE_MODEL_EXACT, JUDGE_MODEL_EXACT_CORRUPTED, type DriftArm } from './spec';

export type DriftMetric = 'exact' | 'judge' | 'exact-corrupted' | 'exact-other';

export interface DriftPoint {
  round: number;
  arm: DriftArm;
  metric: DriftMetric;
  estimate: Estimate;
}

/** A cell's per-item values of one key at one round (absent when that round was not measured). */
function itemsAt(cell: CellResult, round: number, key: string): number[] | undefined {
  return cell.evals.find((e) => e.step === round)?.items?.[key];
}

/** Rounds every cell measured (round 0 included). */
export function driftRounds(cells: readonly CellResult[]): number[] {
  if (cells.length === 0) return [];
  const sets = cells.map((c) => new Set(c.evals.map((e) => e.step)));
  return [...sets[0]].filter((r) => sets.every((s) => s.has(r))).sort((a, b) => a - b);
}

const clip01: [number, number] = [0, 1];

/** Mean over seeds of a score, with its seed-and-item interval, at every round, for both arms and every metric. */
export function driftSeries(cells: readonly CellResult[], seed = 0): DriftPoint[] {
  const out: DriftPoint[] = [];
  for (const round of driftRounds(cells)) {
    for (const arm of DRIFT_ARMS) {
      for (const metric of ['exact', 'judge', 'exact-corrupted', 'exact-other'] as const) {
        const units: SeedItems[] = cells.flatMap((c) => {
          const v = itemsAt(c, round, driftKey(arm, metric));
          return v && v.length ? [{ groups: [v.map((x) => [x])] }] : [];
        });
        out.push({ round, arm, metric, estimate: twoLevelBootstrap(units, scoreOf(0), { seed, clip: clip01 }) });
      }
    }
  }
  return out;
}

/** The paired change of a metric from round `from` to round `to` in one arm (items and seeds resampled together). */
export function driftChange(cells: readonly CellResult[], arm: DriftArm, metric: DriftMetric, from: number, to: number, seed = 0): Estimate {
  const units: SeedItems[] = cells.flatMap((c) => {
    const a = itemsAt(c, from, driftKey(arm, metric));
    const b = itemsAt(c, to, driftKey(arm, metric));
    return a && b && a.length ? [{ groups: [a.map((x, i) => [x, b[i]])] }] : [];
  });
  return twoLevelBootstrap(units, differenceOf(0, 1), { seed, clip: [-1, 1] });
}

/** Judge arm minus gold arm on a metric at one round, paired by seed and item. */
export function armGap(cells: readonly CellResult[], metric: DriftMetric, round: number, seed = 0): Estimate {
  const units: SeedItems[] = cells.flatMap((c) => {
    const g = itemsAt(c, round, driftKey('gold', metric));
    const j = itemsAt(c, round, driftKey('judge', metric));
    return g && j && g.length ? [{ groups: [g.map((x, i) => [x, j[i]])] }] : [];
  });
  return twoLevelBootstrap(units, differenceOf(0, 1), { seed, clip: [-1, 1] });
}

/** The judge model's own greedy exact match on the eval items: overall and on the label its fine-tune corrupted (its bias, measured). */
export function judgeModelExact(cells: readonly CellResult[], seed = 0): { all: Estimate; corrupted: Estimate } {
  const of = (key: string) =>
    twoLevelBootstrap(
      cells.flatMap((c) => {
        const v = itemsAt(c, 0, key);
        return v && v.length ? [{ groups: [v.map((x) => [x])] }] : [];
      }),
      scoreOf(0),
      { seed, clip: clip01 },
    );
  return { all: of(JUDGE_MODEL_EXACT), corrupted: of(JUDGE_MODEL_EXACT_CORRUPTED) };
}

/**
 * The divergence in one arm from round `from` to `to`: the change of the judge's win rate minus the change of exact
 * match, paired by seed and item (both measured on the same held-out items); positive when the judge's opinion rose
 * more than the truth did.
 */
export function driftDivergence(cells: readonly CellResult[], arm: DriftArm, from: number, to: number, seed = 0): Estimate {
  const units: SeedItems[] = cells.flatMap((c) => {
    const [j0, j1, e0, e1] = [itemsAt(c, from, driftKey(arm, 'judge')), itemsAt(c, to, driftKey(arm, 'judge')), itemsAt(c, from, driftKey(arm, 'exact')), itemsAt(c, to, driftKey(arm, 'exact'))];
    return j0 && j1 && e0 && e1 && j0.length ? [{ groups: [j0.map((x, i) => [x, j1[i], e0[i], e1[i]])] }] : [];
  });
  return twoLevelBootstrap(units, (m) => m[0][1] - m[0][0] - (m[0][3] - m[0][2]), { seed, clip: [-2, 2] });
}
