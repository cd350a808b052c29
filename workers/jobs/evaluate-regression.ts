// Job: a regression suite on a run after the fact (Evaluate page): its base and its latest checkpoint, compared and stored on the run.
import type { RegressionSuiteSpec, RunRegression } from '../../src/contract';
import { evalModelOf } from '../../src/engine/eval';
import { createModel, restoreForInference, type LoraAdapter, type TrainerCheckpoint } from '../../src/engine/index';
import { modelDims } from '../../src/engine/models/dims';
import { RegressionSuiteError } from '../../src/engine/errors';
import { latestCheckpoint, loadRun, updateRun } from '../../src/storage/runs';
import { runBaseOf } from '../helpers/base-model';
import { scoreRegression, scoreRegressionOnBase, withAfter } from '../helpers/regression-suite';

export async function evaluateRegressionJob(runId: string, suite: RegressionSuiteSpec, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<RunRegression> {
  const run = await loadRun(runId);
  if (!run) throw new Error('The run was not found; pick another run.');
  const checkpoint = await latestCheckpoint(runId);
  if (!checkpoint) {
    throw new RegressionSuiteError('This run has no checkpoint yet, so there is no fine-tuned model to compare with its base.', 'Train or resume it until a checkpoint is saved, then score the suite.');
  }
  const base = await runBaseOf(run);
  // The base's scores from the run's start are reused when they are of this very suite (same items).
  const kept = run.regression?.suite.id === suite.id ? run.regression.before : undefined;
  const before = kept ?? (await scoreRegressionOnBase(suite, base, run.model, signal, (done, total) => onProgress(done, total * 2)));
  const model = createModel(base.setup.config, base.setup.weights ?? { seed: base.setup.initSeed });
  let lora: LoraAdapter | null = null;
  try {
    lora = restoreForInference(model, checkpoint.state as TrainerCheckpoint);
    const target = { model: evalModelOf(model, lora), tokenizer: base.tokenizer, maxPositions: modelDims(base.setup.config).maxPositions, modelSpec: run.model };
    const after = await scoreRegression(suite, target, checkpoint.step, signal, (done, total) => onProgress(kept ? done : total + done, kept ? total : total * 2));
    const regression = withAfter({ suite, before }, after);
    await updateRun(runId, { regression });
    return regression;
  } finally {
    lora?.dispose();
    model.dispose();
  }
}
