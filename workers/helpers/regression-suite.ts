// Scores a run's regression suite on the model a job holds (the base before training, the fine-tune after) and compares them.
import type { RegressionScores, RegressionSuiteSpec, RunRegression } from '../../src/contract';
import { scoreRegressionSuite, suiteAbilities } from '../../src/engine/eval/regression-suite-eval';
import { compareRegression } from '../../src/engine/eval/regression-suite-compare';
import { evalTokenizerOf, type EvalModel } from '../../src/engine/eval';
import { RegressionSuiteError } from '../../src/engine/errors';
import type { Tokenizer } from '../../src/engine/tokenizers';
import type { TinyModelSpec } from '../../src/storage/types';

export interface RegressionTarget {
  model: EvalModel;
  /** Null for seed-initialised bases (their characters come from the dataset): no suite can be scored on them. */
  tokenizer: Tokenizer | null;
  maxPositions: number;
  modelSpec: Pick<TinyModelSpec, 'kind'>;
}

/** Every item of the suite scored on `target` at `step`; throws RegressionSuiteError when a prompt exceeds the context. */
export async function scoreRegression(
  suite: RegressionSuiteSpec,
  target: RegressionTarget,
  step: number,
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<RegressionScores> {
  if (!target.tokenizer) {
    throw new RegressionSuiteError('A regression suite needs a pretrained base with its own tokenizer; this run starts from random weights.', 'Pick a Tiny World, Hub or local base on the Models page, or start the run without a suite.');
  }
  return scoreRegressionSuite(target.model, evalTokenizerOf(target.tokenizer), suiteAbilities(suite, target.modelSpec.kind === 'tiny-world'), { step, maxPositions: target.maxPositions, signal, onProgress });
}

/** The run's regression record with `after` scored and compared against its `before`. */
export function withAfter(regression: RunRegression & { before: RegressionScores }, after: RegressionScores): RunRegression {
  return { ...regression, after, comparison: compareRegression(regression.before, after), error: undefined };
}
