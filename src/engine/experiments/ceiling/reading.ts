// The Capability ceiling reading, generated from the measured cells: one sentence per base (its component, the target
// before → after with the paired gain, the trained entities, chance), then the bases compared pairwise on the same items;
// a change or a difference is stated only when its interval excludes zero.
import { resolved } from '../resample';
import { formatDifference, formatScore } from '../reading';
import { finalEval, pairedDifference, type Difference } from '../series';
import type { ExperimentSpec, StoredCell } from '../types';
import { baseLabel, ceilingPoints, cellsByBase, type CeilingPoint } from './series';
import { TARGET_PROBE } from './spec';

/** Below this trained-entity accuracy the format counts as not learnt (the held-out score then measures no ceiling). */
export const FORMAT_LEARNT = 0.5;

function pct(x: number): string {
  return x.toFixed(2);
}

function chanceClause(p: CeilingPoint): string {
  if (p.after.lo > p.chance) return `above chance (${pct(p.chance)})`;
  if (p.after.hi < p.chance) return `below chance (${pct(p.chance)})`;
  return `not resolved from chance (${pct(p.chance)}, inside the interval)`;
}

function gainClause(d: Difference): string {
  if (!resolved(d)) return `no resolved change (${formatDifference(d)} includes zero)`;
  return `${d.mean > 0 ? 'up' : 'down'} ${formatDifference(d)}`;
}

/** One sentence about one base. */
export function baseSentence(p: CeilingPoint): string {
  const format = p.trained.mean >= FORMAT_LEARNT
    ? `the format was learnt (trained entities ${formatScore(p.trained)})`
    : `the format and the trained answers were NOT learnt (trained entities ${formatScore(p.trained)}, below ${FORMAT_LEARNT}), so its held-out score may understate its ceiling`;
  return `${baseLabel(p.base, p.parameters)}: FACT before fine-tuning ${formatScore(p.component)}; the question on held-out entities ${formatScore(p.before)} → ${formatScore(p.after)} after ${p.steps} steps, ${gainClause(p.gain)}, ${chanceClause(p)}; ${format}.`;
}

/** Fine-tuned held-out accuracy of base `b` minus base `a`, paired by seed (same split, same items). */
export function baseDifference(spec: ExperimentSpec, cells: readonly StoredCell[], a: string, b: string): Difference {
  const groups = new Map(cellsByBase(spec, cells));
  const pairs = (groups.get(a) ?? []).flatMap((x) => (groups.get(b) ?? []).filter((y) => y.seed === x.seed).slice(0, 1).map((y) => ({ from: finalEval(x), to: finalEval(y) })));
  return pairedDifference(pairs, [TARGET_PROBE]);
}

/**
 * The bases in order of their component accuracy, each against the next, on the fine-tuned held-out score: where the
 * component is higher, is the ceiling higher? Stated per pair only where resolved.
 */
export function orderSentence(spec: ExperimentSpec, cells: readonly StoredCell[], points: CeilingPoint[]): string {
  if (points.length < 2) return '';
  const sorted = [...points].sort((x, y) => x.component.mean - y.component.mean);
  const parts: string[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const [lo, hi] = [sorted[i - 1], sorted[i]];
    const d = baseDifference(spec, cells, lo.base, hi.base);
    const verdict = !resolved(d) ? `not resolved (${formatDifference(d)})` : d.mean > 0 ? `higher by ${formatDifference(d)}` : `LOWER by ${formatDifference(d)}`;
    parts.push(`${hi.base} (FACT ${pct(hi.component.mean)}) against ${lo.base} (FACT ${pct(lo.component.mean)}): ${verdict}`);
  }
  return `Fine-tuned held-out accuracy, each base against the one with the next lower FACT score, paired by seed on the same facts: ${parts.join('; ')}.`;
}

function seedsNote(n: number): string {
  return n === 1 ? 'One seed: the intervals cover the eval facts, not the spread between seeds (or entity splits).' : `${n} seeds (each its own entity split); the intervals resample seeds and facts.`;
}

export function ceilingReading(spec: ExperimentSpec, cells: readonly StoredCell[]): string {
  const points = ceilingPoints(spec, cells);
  if (points.length === 0) return 'No run has finished yet.';
  const sentences = points.map(baseSentence);
  const order = orderSentence(spec, cells, points);
  if (order) sentences.push(order);
  sentences.push(seedsNote(Math.min(...points.map((p) => p.runIds.length))));
  return sentences.join(' ');
}

/** The stage's short reading: where each base ends, and the ordered comparison's first and last base. */
export function ceilingStageReading(spec: ExperimentSpec, cells: readonly StoredCell[]): string {
  const points = ceilingPoints(spec, cells);
  if (points.length === 0) return 'No run has finished yet.';
  const ends = points.map((p) => `${p.base.replace('tiny-world-', '')}: FACT ${pct(p.component.mean)} → question ${formatScore(p.after)}`).join('; ');
  const sorted = [...points].sort((x, y) => x.component.mean - y.component.mean);
  if (sorted.length < 2) return `${ends}.`;
  const d = baseDifference(spec, cells, sorted[0].base, sorted.at(-1)!.base);
  const verdict = resolved(d) && d.mean > 0 ? `the base with the most pretrained facts ends ${formatDifference(d)} above the one with the fewest` : resolved(d) ? `the base with the most pretrained facts ends ${formatDifference(d)} BELOW the one with the fewest` : `the most- and least-knowing bases are not resolved apart (${formatDifference(d)})`;
  return `${ends}. Paired by seed: ${verdict}.`;
}
