// Regression suites (what a fine-tune must keep): the stored suite, and its before/after results kept on each run record.
import type { RegressionAbility, RegressionScores } from '../engine/eval/regression-suite';
import type { RegressionBuiltin } from '../engine/eval/regression-suite-eval';
import type { RegressionComparison } from '../engine/eval/regression-suite-compare';

export type { RegressionAbility, RegressionAnswerItem, RegressionTextItem, RegressionMetric, RegressionItemValue, RegressionScores } from '../engine/eval/regression-suite';
export type { RegressionBuiltin } from '../engine/eval/regression-suite-eval';
export type { RegressionComparison, RegressionAbilityResult, RegressionVerdict } from '../engine/eval/regression-suite-compare';

/** A suite as stored (IndexedDB `regressionSuites`) and as a run or sweep cell carries it: self-contained, items inline. */
export interface RegressionSuiteSpec {
  id: string;
  name: string;
  createdAt: number;
  /** Where its items came from, in words (e.g. "keep.jsonl, 24 rows"). */
  source: string;
  /** The user's own abilities, from their file (possibly none when only built-ins are picked). */
  abilities: RegressionAbility[];
  /** Built-in checks, expanded for the run's base in the worker (Tiny World bases only). */
  builtins: RegressionBuiltin[];
  /** Items per built-in check. */
  builtinItems: number;
}

/** On a run record (additive): the suite as chosen when the run started, its scores on the base and after training. */
export interface RunRegression {
  suite: RegressionSuiteSpec;
  /** The base, scored before the first step. */
  before?: RegressionScores;
  /** The model when training completed. */
  after?: RegressionScores;
  comparison?: RegressionComparison;
  /** Why the suite could not be scored, in words (training itself went on). */
  error?: string;
}
