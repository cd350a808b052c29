// An experiment cell as a run record (and back), so every plotted point is a stored run the Train page can list.
import type { ExperimentBase } from '../engine/experiments/cell-runner';
import { cellHyperparameters } from '../engine/experiments/cell-training';
import { fnv1a } from '../engine/experiments/cells';
import type { CellResult, StoredCell } from '../engine/experiments/types';
import type { RunRecord } from '../contract';

export function experimentDatasetId(experimentId: string): string {
  return `experiment:${experimentId}`;
}

/** Deterministic: the same cell of the same experiment always has the same run id (resume skips it). */
export function cellRunId(experimentId: string, cellKey: string): string {
  return `cell-${experimentId}-${fnv1a(cellKey)}`;
}

function dataDescription(cell: CellResult): string {
  const s = cell.settings;
  if (cell.evals[0]?.scores['recall@1'] !== undefined) return `${s.trainSize} ticket → team page pairs`;
  if (cell.evals.some((e) => e.leakage)) return `${s.trainSize} lines + ${cell.trainExamples - s.trainSize} canary copies`;
  const parts = [`${s.trainSize} clean${s.labelNoise > 0 ? ` (${Math.round(s.labelNoise * 100)}% wrong labels)` : ''}`];
  if (s.addedSize > 0) parts.push(`${s.addedSize} ${s.addedKind === 'narrow' ? 'narrow' : `noisy (${Math.round(s.addedNoise * 100)}% wrong labels)`}`);
  if (s.replay > 0) parts.push(`${Math.round(s.replay * 100)}% replay`);
  if (s.cohorts) {
    const mitigation = [s.balance > 0 ? `balanced ${s.balance}` : '', s.reweight > 0 ? `reweighted ${s.reweight}` : ''].filter(Boolean).join(', ');
    return `${parts.join(' + ')} in cohorts ${Object.entries(s.cohorts).map(([c, v]) => `${c} ${v}`).join(' / ')}${mitigation ? ` (${mitigation})` : ''}`;
  }
  return parts.join(' + ');
}

export function cellToRunRecord(cell: CellResult, base: Pick<ExperimentBase, 'id' | 'config' | 'tokenizer'>, now = Date.now()): RunRecord {
  const s = cell.settings;
  const config = base.config as { n_embd?: number; n_layer?: number; n_head?: number; n_positions?: number };
  const full = s.rank === 0;
  return {
    id: cellRunId(cell.experimentId, cell.cellKey),
    name: `${full ? 'Full FT' : `LoRA r${s.rank}`} · ${dataDescription(cell)} · ${s.steps} steps · seed ${cell.seed}`,
    createdAt: now,
    updatedAt: now,
    datasetId: experimentDatasetId(cell.experimentId),
    datasetName: `Tiny World, generated: ${dataDescription(cell)}`,
    model: { kind: 'tiny-gpt2', name: base.id, n_embd: config.n_embd ?? 0, n_layer: config.n_layer ?? 0, n_head: config.n_head ?? 0, n_positions: config.n_positions ?? 0, initSeed: 0 },
    vocab: Array.from({ length: base.tokenizer.vocabSize }, (_, i) => base.tokenizer.decode([i])),
    hyper: cellHyperparameters(s, cell.seed),
    status: 'completed',
    step: s.steps,
    lastCheckpointStep: null,
    metrics: cell.losses.map((loss, i) => ({ step: i + 1, elapsedMs: Math.round((cell.ms * (i + 1)) / cell.losses.length), trainLoss: loss })),
    message: `Experiment cell: ${cell.trainExamples} examples${cell.trainDistinct !== undefined ? ` (${cell.trainDistinct} distinct)` : ''}, ${cell.evals.length} eval points.`,
    experimentCell: cell,
  };
}

/** The stored cell behind a run record, or null when the run is not an experiment cell. */
export function storedCellOf(run: RunRecord): StoredCell | null {
  return run.experimentCell && run.status === 'completed' ? { ...run.experimentCell, runId: run.id } : null;
}
