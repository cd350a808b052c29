// A learning-curve cell as a run record, filed under its curve's experiment id so the experiment cell store lists it.
import type { CellResult } from '../engine/experiments/types';
import type { TrainHyperparameters } from '../engine/train/settings';
import { cellRunId, experimentDatasetId } from './experiment-cell-record';
import type { RunRecord, TinyModelSpec } from '../contract';

export function curveCellToRunRecord(cell: CellResult, context: { model: TinyModelSpec; vocab: string[]; hyper: TrainHyperparameters; datasetName: string }, now = Date.now()): RunRecord {
  const curve = cell.curve!;
  const share = `${+(curve.fraction * 100).toFixed(2)}%`;
  return {
    id: cellRunId(cell.experimentId, cell.cellKey),
    name: `Learning curve · ${share} of ${context.datasetName} (${curve.distinct} distinct) · seed ${cell.seed}`,
    createdAt: now,
    updatedAt: now,
    datasetId: experimentDatasetId(cell.experimentId),
    datasetName: `${context.datasetName}: ${share} of the training split (${curve.distinct} distinct examples, ${curve.rows} rows)`,
    model: context.model,
    vocab: context.vocab,
    hyper: context.hyper,
    status: 'completed',
    step: cell.settings.steps,
    lastCheckpointStep: null,
    metrics: cell.losses.map((loss, i) => ({ step: i + 1, elapsedMs: Math.round((cell.ms * (i + 1)) / cell.losses.length), trainLoss: loss })),
    message: `Learning-curve cell: ${curve.distinct} distinct examples, scored on ${curve.heldOut.nll.length} held-out rows.`,
    experimentCell: cell,
  };
}
