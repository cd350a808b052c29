// A learning-curve cell as stored (inside the experiment cell record) and read back as the estimate's per-item input.
import type { TrainHyperparameters } from '../../train/settings';
import type { CellResult, CellSettings } from '../types';
import type { CurveCellItems } from './estimate';
import type { HeldOutScores } from './score';
import type { CurveCellRegression } from './regression';
import type { SliceArm } from './slice';

export interface CurveCellData {
  fraction: number;
  /** Distinct training examples (rows sharing a content id count once) and all rows trained on (duplicates included). */
  distinct: number;
  rows: number;
  datasetSha256: string;
  /** sha-256 of the base weights (or a seed model's recipe key). */
  weightsKey: string;
  /** A data-quality cell: trained with or without the sweep's slice (fraction is then 1). */
  arm?: SliceArm;
  /** The held-out rows' scores, item by item, in the same order in every cell of the curve. */
  heldOut: HeldOutScores;
  /** The sweep's regression suite: the base (scored once per sweep) against this cell's fine-tune, per ability. */
  regression?: CurveCellRegression;
}

/** Validation loss, token accuracy and (with references) exact match of a cell, from its items. */
export function curveScores(h: HeldOutScores): Record<string, number> {
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  const scores: Record<string, number> = { 'validation loss': sum(h.nll) / sum(h.weight), 'token accuracy': sum(h.correct) / sum(h.targets) };
  if (h.exact) scores['exact match'] = sum(h.exact) / h.exact.length;
  return scores;
}

/** The experiment cell settings a curve cell is filed under (trainSize is its distinct examples; nothing is generated). */
export function curveCellSettings(hyper: TrainHyperparameters, distinct: number): CellSettings {
  return {
    trainSize: distinct,
    labelNoise: 0,
    addedSize: 0,
    addedKind: 'noisy',
    addedNoise: 0,
    replay: 0,
    steps: hyper.steps,
    rank: hyper.method === 'full' ? 0 : hyper.lora.r,
    lr: hyper.learningRate,
    batchSize: hyper.batchSize,
    balance: 0,
    reweight: 0,
  };
}

export function curveItemsOf(cell: Pick<CellResult, 'seed' | 'curve'>): CurveCellItems | null {
  return cell.curve && !cell.curve.arm ? { seed: cell.seed, n: cell.curve.distinct, ...cell.curve.heldOut } : null;
}

/** A data-quality cell's items with its arm (null for curve cells). */
export function sliceItemsOf(cell: Pick<CellResult, 'seed' | 'curve'>): (CurveCellItems & { arm: SliceArm }) | null {
  return cell.curve?.arm ? { seed: cell.seed, n: cell.curve.distinct, arm: cell.curve.arm, ...cell.curve.heldOut } : null;
}
