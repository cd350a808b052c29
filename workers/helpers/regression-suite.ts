// Scores a run's regression suite on the model a job holds (the base before training, the fine-tune after) and compares them.
//
// Use from any job that fine-tunes (the Train page's train job does; a sweep cell can do the same):
//   const before = await scoreRegressionOnBase(suite, base, modelSpec, signal);        // once: the base is every cell's
//   … train …
//   const after = await scoreRegression(suite, { model: trainer.evalModel(), tokenizer: base.tokenizer,
//                                                 maxPositions, modelSpec }, steps, signal);
//   record.regression = withAfter({ suite, before }, after);                             // RunRecord.regression
import type { RegressionScores, RegressionSuiteSpec, RunRegression } from '../../src/contract';
import { scoreRegressionSuite, suiteAbilities } from '../../src/engine/eval/regression-suite-eval';
import { compareRegression } from '../../src/engine/eval/regression-suite-compare';
import { evalModelOf, evalTokenizerOf, type EvalModel } from '../../src/engine/eval';
import { createModel } from '../../src/engine/index';
import { modelDims } from '../../src/engine/models/dims';
import type { RunBase } from './base-model';
import { RegressionSuiteError } from '../../src/engine/errors';
import type { Tokenizer } from '../../src/engine/tokenizers';
import type { TinyModelSpec } from '../../src/contract';

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

/** The suite on a run's base itself (a fresh copy of its weights, disposed after): the "before" a sweep's cells share. */
export async function scoreRegressionOnBase(suite: RegressionSuiteSpec, base: RunBase, modelSpec: Pick<TinyModelSpec, 'kind'>, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<RegressionScores> {
  const model = createModel(base.setup.config, base.setup.weights ?? { seed: base.setup.initSeed });
  try {
    return await scoreRegression(suite, { model: evalModelOf(model), tokenizer: base.tokenizer, maxPositions: modelDims(base.setup.config).maxPositions, modelSpec }, 0, signal, onProgress);
  } finally {
    model.dispose();
  }
}
