// Job: loss and mean token accuracy of the base and the fine-tuned model on a run's held-out test split.
import type { EvaluateResult } from '../../src/contract';
import { DatasetParseError, JobCancelledError } from '../../src/engine/errors';
import { loadRun } from '../../src/storage/runs';
import { datasetRowChunks, loadDataset } from '../../src/storage/datasets';
import type { TokenizedExample } from '../../src/engine/data/example';
import { runBaseOf } from '../helpers/base-model';
import { loadEngine } from '../helpers/load-engine';
import { tunedWeightsOf } from '../helpers/tuned-weights';

export async function evaluateJob(runId: string, signal: AbortSignal): Promise<EvaluateResult> {
  const run = await loadRun(runId);
  const dataset = run && (await loadDataset(run.datasetId));
  if (run?.imported && !run.datasetId) {
    throw new DatasetParseError('This adapter was imported with no dataset chosen, so there is no test split to evaluate it on.', 'Choose a dataset on the Data page, then import the adapter again on the Models page.');
  }
  if (!run || !dataset) throw new Error('The run or its dataset was deleted.');
  const base = await runBaseOf(run);
  const test: TokenizedExample[] = [];
  for await (const rows of datasetRowChunks(dataset)) {
    if (signal.aborted) throw new JobCancelledError('Evaluation cancelled.');
    for (const row of rows) if (row.split === 'test') test.push(base.encode(row));
  }
  if (test.length === 0) throw new DatasetParseError('The test split of this dataset is empty.', 'Add more rows: about one row in ten goes to the test split.');
  const engine = await loadEngine();
  const tuned = await tunedWeightsOf(run);
  const scores = [];
  for (const side of ['base', 'tuned'] as const) {
    if (signal.aborted) throw new JobCancelledError('Evaluation cancelled.');
    if (side === 'tuned' && !tuned) break;
    // An imported adapter has no trainer checkpoint: its weights start a LoRA trainer that only evaluates.
    const from = side === 'base' || !tuned ? {} : tuned.checkpoint ? { checkpoint: tuned.checkpoint } : { initialAdapter: tuned.trainable };
    // An imported adapter's run has 0 steps; an evaluation-only trainer takes none but needs a valid schedule length.
    const hyper = { ...run.hyper, steps: Math.max(1, run.hyper.steps) };
    const trainer = await engine.createTrainer({ ...base.setup, hyper, train: test, ...from });
    try {
      scores.push(await trainer.evaluate(test));
    } finally {
      trainer.dispose();
    }
  }
  return { examples: test.length, base: scores[0], tuned: scores[1] ?? null, tunedStep: tuned?.step ?? null };
}
