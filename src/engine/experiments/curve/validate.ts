// Bad input for a learning curve, refused before anything runs: sizes the data cannot give, too few held-out rows for
// an interval, exact match on rows without reference answers, bad fractions or seeds. Messages say what is needed.
import { ExperimentSpecError } from '../../errors';
import { MIN_HELD_OUT, MIN_SUBSET, type CurveMatch } from './spec';
import { subsetSize } from './subsets';

/** What the checks need to know of the data (counted by the page from the dataset's stats, by the job from its rows). */
export interface CurveDataFacts {
  /** Distinct examples in the training split. */
  distinctTrain: number;
  /** Held-out rows (validation and test splits). */
  heldOut: number;
  /** Held-out rows with a reference answer (a prompt and a completion, or a chat with an answer turn). */
  heldOutWithReference: number;
}

export interface CurveProblem {
  field: 'fractions' | 'seeds' | 'data' | 'match';
  message: string;
}

export const MAX_CURVE_SEEDS = 10;

/** The fewest distinct training examples for which every fraction gives its own size of at least MIN_SUBSET. */
export function distinctNeeded(fractions: readonly number[]): number {
  const sorted = [...new Set(fractions)].sort((a, b) => a - b);
  for (let d = 1; d <= 1_000_000; d++) {
    const sizes = sorted.map((f) => subsetSize(f, d));
    if (sizes[0] >= MIN_SUBSET && sizes.every((s, i) => i === 0 || s > sizes[i - 1])) return d;
  }
  return Infinity;
}

/** A row has a reference answer when something is asked and something answers (plain text rows have neither). */
export function hasReference(row: { kind: string; prompt: string; completion: string }): boolean {
  return row.kind !== 'text' && row.prompt.length > 0 && row.completion.length > 0;
}

/** Whether exact match is scored: asked for, or (auto) when every held-out row has a reference answer. */
export function scoresExact(match: CurveMatch, facts: Pick<CurveDataFacts, 'heldOut' | 'heldOutWithReference'>): boolean {
  return match === 'exact' || (match === 'auto' && facts.heldOut > 0 && facts.heldOutWithReference === facts.heldOut);
}

export function validateCurve(setup: { fractions: number[]; seeds: number; match: CurveMatch }, facts: CurveDataFacts | null): CurveProblem[] {
  const problems: CurveProblem[] = [];
  const { fractions, seeds } = setup;
  const distinctFractions = new Set(fractions);
  if (fractions.some((f) => !(f > 0 && f <= 1))) problems.push({ field: 'fractions', message: 'Each share must be above 0 and at most 1 (e.g. 0.125, 0.25, 0.5, 1).' });
  else if (distinctFractions.size < 2) problems.push({ field: 'fractions', message: 'A curve needs at least two different shares (e.g. 0.25, 0.5, 1).' });
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > MAX_CURVE_SEEDS) problems.push({ field: 'seeds', message: `Seeds must be a whole number from 1 to ${MAX_CURVE_SEEDS} (3 or more give an interval over seeds).` });
  if (!facts) return problems;
  if (problems.every((p) => p.field !== 'fractions')) {
    const need = distinctNeeded(fractions);
    if (facts.distinctTrain < need) {
      const sizes = [...distinctFractions].sort((a, b) => a - b).map((f) => subsetSize(f, facts.distinctTrain));
      problems.push({
        field: 'data',
        message: `The training split has ${facts.distinctTrain} distinct examples, which gives subsets of ${sizes.join(', ')}: these shares need at least ${need} distinct examples (each subset ${MIN_SUBSET} or more, each larger than the last). Add data or use fewer, larger shares.`,
      });
    }
  }
  if (facts.heldOut < MIN_HELD_OUT) {
    problems.push({
      field: 'data',
      message: `Only ${facts.heldOut} held-out rows (validation and test splits): an interval needs at least ${MIN_HELD_OUT}. At the 10% + 10% split that is a dataset of about ${Math.ceil(MIN_HELD_OUT / 0.2)} rows.`,
    });
  }
  const missing = facts.heldOut - facts.heldOutWithReference;
  if (setup.match === 'exact' && missing > 0) {
    problems.push({
      field: 'match',
      message: `Exact match needs a reference answer in every held-out row, and ${missing} of ${facts.heldOut} have none (plain {"text"} rows). Use prompt/completion or chat rows, or score loss and token accuracy only.`,
    });
  }
  return problems;
}

/** Throws the first problem as an ExperimentSpecError (the job's check, for a hand-made call or a stale page). */
export function assertValidCurve(setup: { fractions: number[]; seeds: number; match: CurveMatch }, facts: CurveDataFacts): void {
  const problems = validateCurve(setup, facts);
  if (problems.length) throw new ExperimentSpecError(problems.map((p) => p.message).join(' '), 'Fix the learning curve setup on the Experiments page, then run it again.');
}
