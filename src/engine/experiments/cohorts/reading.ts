// The Cohorts readings, generated from the measured cells: a cohort's change, a gap or a mitigation's effect is stated
// only when its interval excludes zero; the regression warning follows the Evaluate page's rule (an overall gain while a
// cohort gets worse), stated only when both are resolved.
import { resolved } from '../resample';
import { formatDifference, formatScore } from '../reading';
import type { Difference } from '../series';
import type { ExperimentSpec, StoredCell } from '../types';
import {
  cohortGap, cohortScore, cohortsOf, cohortVariants, fromBase, overallChange, overallScore, pairsBySeed, type CohortVariant,
} from './series';
import { pairedDifference } from '../series';
import { cohortProbeName } from './probes';

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function effect(d: Difference, up = 'higher', down = 'lower'): string {
  if (!resolved(d)) return `not resolved (${formatDifference(d)} includes zero)`;
  return `${d.mean > 0 ? up : down}, ${formatDifference(d)}`;
}

function seedsNote(n: number): string {
  return n === 1 ? 'One seed: the intervals cover the eval items, not the spread between seeds.' : `${n} seeds; the intervals resample seeds and eval items.`;
}

/** The warning of src/engine/eval/compare.ts ("… improves … overall … but cohort … regresses"), with intervals, when both are resolved. */
function regressionWarnings(spec: ExperimentSpec, what: string, overall: Difference, perCohort: [string, Difference][]): string[] {
  if (!(resolved(overall) && overall.mean > 0)) return [];
  return perCohort
    .filter(([, d]) => resolved(d) && d.mean < 0)
    .map(([cohort, d]) => `${what} improves ${spec.target} exact match overall (${formatDifference(overall)}) but cohort “${cohort}” regresses (${formatDifference(d)}).`);
}

export interface CohortReading {
  text: string;
  /** Cohort regressions, each resolved: shown as warnings beside the chart. */
  warnings: string[];
}

function variantSentence(spec: ExperimentSpec, v: CohortVariant, warnings: string[]): string {
  const [major, ...minors] = cohortsOf(spec);
  const finals = v.cells.map((c) => c.evals.at(-1)!);
  const steps = Math.max(...finals.map((e) => e.step));
  const scores = cohortsOf(spec).map((c) => `${c} ${formatScore(cohortScore(spec, finals, c))}`).join(', ');
  let s = `${capitalized(v.label)}, after ${steps} steps: ${scores}, overall at the shares ${formatScore(overallScore(spec, finals))}`;
  for (const minor of minors) s += `; ${minor} against ${major} on the same tickets: ${effect(cohortGap(spec, finals, minor, major))}`;
  const ends = fromBase(v);
  if (ends.length) {
    const perCohort = cohortsOf(spec).map((c): [string, Difference] => [c, pairedDifference(ends, [cohortProbeName(spec.target, c)])]);
    s += `; from the base: ${perCohort.map(([c, d]) => `${c} ${effect(d, 'up', 'down')}`).join(', ')}`;
    warnings.push(...regressionWarnings(spec, capitalized(v.label), overallChange(spec, ends), perCohort));
  }
  return `${s}.`;
}

function mitigationSentence(spec: ExperimentSpec, none: CohortVariant, v: CohortVariant, warnings: string[]): string {
  const pairs = pairsBySeed(none.cells, v.cells);
  if (pairs.length === 0) return `${capitalized(v.label)} shares no seed with ${none.label}: nothing to pair.`;
  const perCohort = cohortsOf(spec).map((c): [string, Difference] => [c, pairedDifference(pairs, [cohortProbeName(spec.target, c)])]);
  const overall = overallChange(spec, pairs);
  warnings.push(...regressionWarnings(spec, `${capitalized(v.label)} (against ${none.label})`, overall, perCohort));
  return `${capitalized(v.label)} against ${none.label}, paired by seed (${pairs.length}): ${perCohort.map(([c, d]) => `${c} ${effect(d)}`).join(', ')}; overall at the shares ${effect(overall)}.`;
}

/** One sentence per mitigation (its cohorts, the gap, the change from the base), then each mitigation against the data as sampled. */
export function cohortReading(spec: ExperimentSpec, cells: readonly StoredCell[]): CohortReading {
  const variants = cohortVariants(cells);
  if (variants.length === 0) return { text: 'No run has finished yet.', warnings: [] };
  const warnings: string[] = [];
  const sentences = variants.map((v) => variantSentence(spec, v, warnings));
  const none = variants.find((v) => v.balance === 0 && v.reweight === 0);
  if (none) for (const v of variants) if (v !== none) sentences.push(mitigationSentence(spec, none, v, warnings));
  return { text: `${sentences.join(' ')} ${seedsNote(Math.min(...variants.map((v) => v.cells.length)))}`, warnings };
}
