// Job: loss and mean token accuracy of the base and the fine-tuned model on a run's held-out test split.
import { DatasetParseError, JobCancelledError } from '../../src/engine/errors';
import { latestCheckpoint, loadRun } from '../../src/storage/runs';
import { datasetRowChunks, loadDataset } from '../../src/storage/datasets';
import type { TokenizedExample } from '../../src/engine/data/example';
import { runBaseOf } from './base-model';
import { loadEngine } from './engine-adapter';

export interface EvaluateResult {
  examples: number;
  base: { loss: number; tokenAccuracy: number };
  tuned: { loss: number; tokenAccuracy: number } | null;
  tunedStep: number | null;
}

export async function evaluateJob(runId: string, signal: AbortSignal): Promise<EvaluateResult> {
  const run = await loadRun(runId);
  const dataset = run && (await loadDataset(run.datasetId));
  if (!run || !dataset) throw new Error('The run or its dataset was deleted.');
  const base = await runBaseOf(run);
  const test: TokenizedExample[] = [];
  for await (const rows of datasetRowChunks(dataset)) {
    if (signal.aborted) throw new JobCancelledError('Evaluation cancelled.');
    for (const row of rows) if (row.split === 'test') test.push(base.encode(row));
  }
  if (test.length === 0) throw new DatasetParseError('The test split of this dataset is empty.', 'Add more rows: about one row in ten goes to the test split.');
  const engine = await loadEngine();
  const checkpoint = await latestCheckpoint(runId);
  const scores = [];
  for (const state of [undefined, checkpoint?.state]) {
    if (signal.aborted) throw new JobCancelledError('Evaluation cancelled.');
    if (scores.length === 1 && !checkpoint) break;
    const trainer = await engine.createTrainer({ ...base.setup, hyper: run.hyper, train: test, checkpoint: state });
    try {
      scores.push(await trainer.evaluate(test));
    } finally {
      trainer.dispose();
    }
  }
  return { examples: test.length, base: scores[0], tuned: scores[1] ?? null, tunedStep: checkpoint?.step ?? null };
}
