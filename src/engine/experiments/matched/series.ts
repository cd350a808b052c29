// Matched-gain chart data from stored cells: per method and learning rate, forgetting at the stop (the other skills' exact match and held-out perplexity, paired with step 0), which runs reached the target, and LoRA − full at each method's best learning rate.
import { FULL_FT_LR_FACTOR } from '../presets';
import { pairedDifference, perplexityChange, scoreEstimate, type Difference } from '../series';
import { PERPLEXITY_PROBE } from '../suite';
import type { Estimate } from '../resample';
import type { CellEval, ExperimentSpec, StoredCell } from '../types';

/** One method at one learning rate over its seeds. */
export interface MatchedPoint {
  rank: number;
  /** The method in words: "LoRA r8" or "full FT". */
  method: string;
  /** The learning rate the runs trained at (full fine-tuning's × FULL_FT_LR_FACTOR applied) and the one set on the axis. */
  lr: number;
  axisLr: number;
  /** Finished runs in seed order, and those that reached the target before the cap. */
  cells: StoredCell[];
  reached: StoredCell[];
  /** Loss on the other skills (step 0 − stop, mean over the adjacent probes), perplexity rise, target gain on the reported items: over the runs that reached the target. */
  forgetting: Difference | null;
  perplexityRise: Difference | null;
  targetAtStop: Estimate | null;
  /** Steps at which the reaching runs stopped. */
  stopSteps: number[];
}

/** LoRA − full fine-tuning at matched gain, each at its best-forgetting learning rate, paired by seed on the same items. */
export interface MatchedComparison {
  lora: MatchedPoint;
  full: MatchedPoint;
  /** Seeds present in both (the pairs). */
  seeds: number[];
  /** Forgetting LoRA − full on the other skills' exact match (negative: LoRA forgot less). */
  forgetting: Difference;
  /** Held-out perplexity rise LoRA − full (negative: LoRA's rose less). */
  perplexity: Difference | null;
  /** Target exact match on the reported items at the stop, LoRA − full (how well the dev-probe match held on them). */
  target: Difference;
}

export function methodName(rank: number): string {
  return rank === 0 ? 'full FT' : `LoRA r${rank}`;
}

/** The skills forgetting is read on: the adjacent probes every cell scored at both ends. */
export function forgettingProbes(spec: ExperimentSpec, cells: readonly StoredCell[]): string[] {
  return spec.adjacent.filter((s) => cells.every((c) => s in c.evals[0].scores && s in c.evals.at(-1)!.scores));
}

const ends = (c: StoredCell): { from: CellEval; to: CellEval } => ({ from: c.evals[0], to: c.evals.at(-1)! });

/** Every (method, learning rate) of the finished cells, methods in rank order (full FT last), rates ascending. */
export function matchedPoints(spec: ExperimentSpec, cells: readonly StoredCell[]): MatchedPoint[] {
  const done = cells.filter((c) => c.evals.length >= 2 && c.matched);
  const groups = new Map<string, StoredCell[]>();
  for (const c of [...done].sort((a, b) => a.seed - b.seed)) {
    const key = `${c.settings.rank}|${c.settings.lr}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const hasPpl = spec.adjacent.length > 0;
  return [...groups.values()]
    .map((group) => {
      const { rank, lr } = group[0].settings;
      const reached = group.filter((c) => c.matched!.reachedStep !== null);
      const probes = forgettingProbes(spec, reached);
      const pairs = reached.map(ends);
      return {
        rank,
        method: methodName(rank),
        lr: rank === 0 ? lr * FULL_FT_LR_FACTOR : lr,
        axisLr: lr,
        cells: group,
        reached,
        forgetting: reached.length && probes.length ? pairedDifference(reached.map((c) => ({ from: c.evals.at(-1)!, to: c.evals[0] })), probes) : null,
        perplexityRise: reached.length && hasPpl && reached.every((c) => PERPLEXITY_PROBE in c.evals[0].scores) ? perplexityChange(pairs, PERPLEXITY_PROBE) : null,
        targetAtStop: reached.length ? scoreEstimate(reached.map((c) => c.evals.at(-1)!), spec.target) : null,
        stopSteps: reached.map((c) => c.evals.at(-1)!.step),
      };
    })
    .sort((a, b) => (a.rank === 0 ? Infinity : a.rank) - (b.rank === 0 ? Infinity : b.rank) || a.lr - b.lr);
}

/**
 * Per method, the learning rate whose runs all reached the target with the least mean forgetting (Biderman et al.
 * compare each method at its best setting); null when no rate of the method reached it in every seed run.
 */
export function bestPoint(points: readonly MatchedPoint[], rank: number): MatchedPoint | null {
  const usable = points.filter((p) => p.rank === rank && p.reached.length > 0 && p.reached.length === p.cells.length && p.forgetting);
  return usable.reduce<MatchedPoint | null>((best, p) => (!best || p.forgetting!.mean < best.forgetting!.mean ? p : best), null);
}

/** LoRA (each rank) − full fine-tuning, each at its best learning rate, over the seeds both have. */
export function matchedComparisons(spec: ExperimentSpec, cells: readonly StoredCell[]): MatchedComparison[] {
  const points = matchedPoints(spec, cells);
  const full = bestPoint(points, 0);
  if (!full) return [];
  const ranks = [...new Set(points.map((p) => p.rank))].filter((r) => r > 0);
  return ranks.flatMap((rank) => {
    const lora = bestPoint(points, rank);
    if (!lora) return [];
    const seeds = lora.reached.map((c) => c.seed).filter((s) => full.reached.some((c) => c.seed === s));
    if (seeds.length === 0) return [];
    const at = (p: MatchedPoint, seed: number) => p.reached.find((c) => c.seed === seed)!.evals.at(-1)!;
    const probes = forgettingProbes(spec, [...lora.reached, ...full.reached]);
    // Forgetting = step 0 − stop; LoRA − full = full's stop − LoRA's stop (the same base at step 0), item by item.
    const forgetting = pairedDifference(seeds.map((s) => ({ from: at(lora, s), to: at(full, s) })), probes);
    const ppl = spec.adjacent.length && seeds.every((s) => PERPLEXITY_PROBE in at(lora, s).scores) ? perplexityChange(seeds.map((s) => ({ from: at(full, s), to: at(lora, s) })), PERPLEXITY_PROBE) : null;
    const target = pairedDifference(seeds.map((s) => ({ from: at(full, s), to: at(lora, s) })), [spec.target]);
    return [{ lora, full, seeds, forgetting, perplexity: ppl, target }];
  });
}
