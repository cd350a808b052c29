// Prompting vs fine-tuning from stored cells: each arm's held-out exact match against the examples it used (seeds ×
// items intervals), the crossover against the best prompting point (paired by seed and item), and the cost side.
import { resolved, type Estimate } from '../resample';
import { finalEval, pairedDifference, scoreEstimate, type Difference } from '../series';
import type { ExperimentSpec, StoredCell } from '../types';
import { isPromptCell } from './spec';

export type Arm = 'prompting' | 'fine-tuning';

/** One plotted point: an arm at k shots or N fine-tuning examples, over seeds. */
export interface ArmPoint extends Estimate {
  arm: Arm;
  /** k (prompting) or N (fine-tuning). */
  x: number;
  /** Its cells, in seed order. */
  cells: StoredCell[];
}

function groupBy(cells: readonly StoredCell[], arm: Arm, probe: string): ArmPoint[] {
  const mine = cells.filter((c) => isPromptCell(c.settings) === (arm === 'prompting'));
  const xs = [...new Set(mine.map((c) => (arm === 'prompting' ? (c.settings.shots ?? 0) : c.settings.trainSize)))].sort((a, b) => a - b);
  return xs.map((x) => {
    const group = mine.filter((c) => (arm === 'prompting' ? (c.settings.shots ?? 0) : c.settings.trainSize) === x).sort((a, b) => a.seed - b.seed);
    return { arm, x, cells: group, ...scoreEstimate(group.map(finalEval), probe) };
  });
}

/** Both arms' points: prompting by k, then fine-tuning by N. */
export function armPoints(spec: Pick<ExperimentSpec, 'target'>, cells: readonly StoredCell[]): ArmPoint[] {
  const own = cells.filter((c) => c.evals.length > 0 && finalEval(c).scores[spec.target] !== undefined);
  return [...groupBy(own, 'prompting', spec.target), ...groupBy(own, 'fine-tuning', spec.target)];
}

/** The prompting point with the highest mean (the smaller k on a tie): picked on the same runs it is then compared with. */
export function bestPrompting(points: readonly ArmPoint[]): ArmPoint | undefined {
  return points.filter((p) => p.arm === 'prompting').reduce<ArmPoint | undefined>((best, p) => (!best || p.mean > best.mean ? p : best), undefined);
}

/** One fine-tuning size against the best prompting point: `fine-tuned − prompted`, same seed, same items. */
export interface Versus {
  n: number;
  k: number;
  difference: Difference;
  seeds: number[];
}

export function versusBest(spec: Pick<ExperimentSpec, 'target'>, points: readonly ArmPoint[]): Versus[] {
  const best = bestPrompting(points);
  if (!best) return [];
  return points
    .filter((p) => p.arm === 'fine-tuning')
    .flatMap((p) => {
      const pairs = p.cells.flatMap((c) => best.cells.filter((b) => b.seed === c.seed).slice(0, 1).map((b) => ({ from: finalEval(b), to: finalEval(c), seed: c.seed })));
      return pairs.length ? [{ n: p.x, k: best.x, difference: pairedDifference(pairs, [spec.target]), seeds: pairs.map((q) => q.seed) }] : [];
    });
}

export type Crossover =
  | { kind: 'crossed'; at: Versus }
  | { kind: 'prompting-ahead'; versus: Versus[] }
  | { kind: 'not-resolved'; versus: Versus[] };

/**
 * The crossover: the smallest N whose paired difference against the best prompting point has its whole interval above
 * zero; else "prompting stays ahead" when every N's interval lies below zero; else not resolved.
 */
export function crossoverOf(versus: readonly Versus[]): Crossover | null {
  if (versus.length === 0) return null;
  const sorted = [...versus].sort((a, b) => a.n - b.n);
  const at = sorted.find((v) => resolved(v.difference) && v.difference.lo > 0);
  if (at) return { kind: 'crossed', at };
  if (sorted.every((v) => v.difference.hi < 0)) return { kind: 'prompting-ahead', versus: sorted };
  return { kind: 'not-resolved', versus: sorted };
}

/** The README's laptop-GPU method, per training step: 148 dispatches × 10–30 µs + ~3 ms readback + 0–10 ms arithmetic. */
export const LAPTOP_STEP_MS: [number, number] = [4.5, 17];

/** Training a token costs about 3 forward passes of it (forward + backward ≈ 2 × forward; Kaplan et al. 2020's 6N vs 2N FLOPs). */
export const TRAIN_FORWARD_FACTOR = 3;

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : NaN;
}

export interface ShotCost {
  k: number;
  /** Prompt tokens per query (mean over seeds and items), as the base's tokenizer counts them. */
  tokens: number;
  /** Eval time per item on this machine (mean over seeds): measured, batched, under this machine's load. */
  evalMsPerQuery: number;
}

export interface TrainCost {
  n: number;
  steps: number;
  /** Training wall time on this machine, mean over seeds (measured in the cell). */
  trainSeconds: number;
  /** The README method's laptop-GPU estimate for the cell's steps (an estimate, not measured). */
  laptopSeconds: [number, number];
  /** Tokens the training passes over: steps × batch × mean tokens per example. */
  trainTokens: number;
}

export function shotCosts(points: readonly ArmPoint[]): ShotCost[] {
  return points
    .filter((p) => p.arm === 'prompting')
    .map((p) => ({
      k: p.x,
      tokens: mean(p.cells.map((c) => mean(c.prompting?.promptTokens ?? []))),
      evalMsPerQuery: mean(p.cells.map((c) => (c.timing ? c.timing.evalMs / Math.max(1, c.prompting?.promptTokens.length ?? 1) : NaN))),
    }));
}

export function trainCosts(points: readonly ArmPoint[]): TrainCost[] {
  return points
    .filter((p) => p.arm === 'fine-tuning')
    .map((p) => {
      const steps = mean(p.cells.map((c) => c.timing?.steps ?? c.settings.steps));
      return {
        n: p.x,
        steps,
        trainSeconds: mean(p.cells.map((c) => (c.timing?.trainMs ?? NaN) / 1000)),
        laptopSeconds: [(steps * LAPTOP_STEP_MS[0]) / 1000, (steps * LAPTOP_STEP_MS[1]) / 1000],
        trainTokens: mean(p.cells.map((c) => c.settings.steps * c.settings.batchSize * (c.prompting?.trainTokensPerExample ?? NaN))),
      };
    });
}

/**
 * Queries after which a fine-tuned model (asked zero-shot) has cost fewer token-forward passes than prompting at k
 * shots: training ≈ 3 × its tokens' forward passes, paid once; each prompted query pays its extra prompt tokens. Null
 * when the shots add no tokens (k = 0: prompting then costs nothing extra, and fine-tuning never pays back in tokens).
 */
export function breakEvenQueries(train: TrainCost, shots: ShotCost, zeroShot: ShotCost): number | null {
  const extra = shots.tokens - zeroShot.tokens;
  if (!(extra > 0) || !Number.isFinite(train.trainTokens)) return null;
  return Math.ceil((TRAIN_FORWARD_FACTOR * train.trainTokens) / extra);
}
