// The Prompting readings, generated from the measured cells: each arm's curve, the crossover (stated only when an
// interval lies above zero), and the cost side in the units it is measured in (prompt tokens, training seconds).
import { formatDifference, formatScore } from '../reading';
import type { ExperimentSpec, StoredCell } from '../types';
import {
  armPoints, bestPrompting, breakEvenQueries, crossoverOf, shotCosts, trainCosts, versusBest, type ArmPoint, type Crossover, type ShotCost, type TrainCost,
} from './series';

function curve(points: readonly ArmPoint[], name: string): string {
  return points.map((p) => `${name} = ${p.x}: ${formatScore(p)}`).join('; ');
}

/** The crossover in one sentence. */
export function crossoverSentence(crossover: Crossover | null): string {
  if (!crossover) return 'No fine-tuned run shares a seed with a prompting run yet: no crossover to read.';
  if (crossover.kind === 'crossed') {
    const { at } = crossover;
    return `Crossover: N = ${at.n} is the smallest fine-tuning size whose paired difference against the best prompting point (k = ${at.k}) lies above zero: ${formatDifference(at.difference)}.`;
  }
  const list = crossover.versus.map((v) => `N = ${v.n} ${formatDifference(v.difference)}`).join(', ');
  if (crossover.kind === 'prompting-ahead') return `Prompting stays ahead: against the best prompting point (k = ${crossover.versus[0].k}) every fine-tuning size's paired difference lies below zero (${list}).`;
  return `Crossover not resolved: no fine-tuning size's paired difference against the best prompting point (k = ${crossover.versus[0].k}) lies above zero (${list}).`;
}

function tokens(x: number): string {
  return Number.isFinite(x) ? x.toFixed(1) : 'not measured';
}

/** The cost side: prompt tokens per query at each k, training time of each N, and the break-even where one can be stated. */
export function costSentence(crossover: Crossover | null, shots: readonly ShotCost[], train: readonly TrainCost[], best: ArmPoint | undefined): string {
  if (shots.length === 0 && train.length === 0) return '';
  const parts: string[] = [];
  if (shots.length) parts.push(`Prompt tokens per query (measured with the base's tokenizer): ${shots.map((s) => `k = ${s.k}: ${tokens(s.tokens)}`).join(', ')}.`);
  if (train.length) {
    parts.push(
      `One-time training: ${train.map((t) => `N = ${t.n}: ${t.steps} steps, ${t.trainSeconds.toFixed(0)} s on this machine (laptop-GPU estimate ${t.laptopSeconds[0].toFixed(1)}–${t.laptopSeconds[1].toFixed(1)} s)`).join('; ')}; the fine-tuned model is asked zero-shot.`,
    );
  }
  const zero = shots.find((s) => s.k === 0);
  const bestShots = best ? shots.find((s) => s.k === best.x) : undefined;
  const at = crossover?.kind === 'crossed' ? train.find((t) => t.n === crossover.at.n) : undefined;
  if (at && bestShots && zero) {
    const q = breakEvenQueries(at, bestShots, zero);
    parts.push(
      q === null
        ? `The best prompting point is k = ${bestShots.k}, which adds no prompt tokens: fine-tuning buys accuracy here, never a cheaper query.`
        : `Counting token forward passes (training a token ≈ 3 forward passes, an estimate): N = ${at.n}'s training (≈ ${Math.round(at.trainTokens)} tokens) costs as much as the ${tokens(bestShots.tokens - zero.tokens)} extra prompt tokens of ${q} queries at k = ${bestShots.k}; after about ${q} queries the fine-tuned model is also the cheaper one. Seconds are not compared: training ran here, a deployment's queries would not.`,
    );
  } else if (crossover && crossover.kind !== 'crossed') parts.push('No fine-tuning size beat the best prompting point with an interval above zero, so no break-even is stated.');
  return parts.join(' ');
}

/** The cost side for the stage (1280×720): tokens per query, the training time's range, the break-even in a few words. */
export function costStageReading(crossover: Crossover | null, shots: readonly ShotCost[], train: readonly TrainCost[], best: ArmPoint | undefined): string {
  const parts: string[] = [];
  if (shots.length) parts.push(`Prompt tokens per query: ${shots.map((s) => `k = ${s.k}: ${tokens(s.tokens)}`).join(', ')}.`);
  const secs = train.map((t) => t.trainSeconds).filter(Number.isFinite);
  if (train.length && secs.length) {
    parts.push(`Training, once: ${Math.min(...secs).toFixed(0)}–${Math.max(...secs).toFixed(0)} s per run here (laptop-GPU estimate ${Math.min(...train.map((t) => t.laptopSeconds[0])).toFixed(1)}–${Math.max(...train.map((t) => t.laptopSeconds[1])).toFixed(1)} s).`);
  }
  const zero = shots.find((s) => s.k === 0);
  const bestShots = best ? shots.find((s) => s.k === best.x) : undefined;
  const at = crossover?.kind === 'crossed' ? train.find((t) => t.n === crossover.at.n) : undefined;
  if (at && bestShots && zero) {
    const q = breakEvenQueries(at, bestShots, zero);
    parts.push(q === null ? `Best prompting is k = ${bestShots.k}, no extra tokens: fine-tuning buys accuracy, not cheaper queries.` : `N = ${at.n} is also cheaper after ≈ ${q} queries (token forward passes, an estimate).`);
  } else if (crossover) parts.push('No N beat the best prompting point: no break-even.');
  return parts.join(' ');
}

function seedsNote(n: number): string {
  return n === 1 ? 'One seed: the intervals cover the eval items, not the spread between seeds.' : `${n} seeds; the intervals resample seeds and eval items, and the best prompting point is picked on the same runs it is compared with.`;
}

/** The whole reading: both curves, the crossover, the cost side. */
export function promptingReading(spec: ExperimentSpec, cells: readonly StoredCell[]): string {
  const points = armPoints(spec, cells);
  if (points.length === 0) return 'No run has finished yet.';
  const prompting = points.filter((p) => p.arm === 'prompting');
  const tuned = points.filter((p) => p.arm === 'fine-tuning');
  const best = bestPrompting(points);
  const crossover = crossoverOf(versusBest(spec, points));
  const sentences = [
    prompting.length ? `Prompting the untouched base on ${spec.target} (held-out exact match): ${curve(prompting, 'k')}.` : '',
    tuned.length ? `LoRA r${spec.fixed.rank} fine-tuning (${spec.fixed.steps} steps of ${spec.fixed.batchSize}), asked zero-shot: ${curve(tuned, 'N')}.` : '',
    best && tuned.length ? crossoverSentence(crossover) : '',
    costSentence(crossover, shotCosts(points), trainCosts(points), best),
    seedsNote(Math.min(...points.map((p) => p.cells.length))),
  ];
  return sentences.filter(Boolean).join(' ');
}

/** The stage's shorter reading: the best prompting point, the crossover, nothing else. */
export function promptingStageReading(spec: ExperimentSpec, cells: readonly StoredCell[]): string {
  const points = armPoints(spec, cells);
  const best = bestPrompting(points);
  if (!best) return promptingReading(spec, cells);
  return `Best prompting: k = ${best.x}, ${formatScore(best)}. ${crossoverSentence(crossoverOf(versusBest(spec, points)))}`;
}
