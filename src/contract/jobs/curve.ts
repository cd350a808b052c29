// Learning-curve job (your data and model): its input; progress and result are the experiment job's.
import type { CurveSpec } from '../../engine/experiments/curve/spec';
import type { TinyModelSpec } from '../records';
import type { RegressionSuiteSpec } from '../regression-suite';

export interface CurveJobInput {
  spec: CurveSpec;
  /** The stored dataset whose content hash is spec.datasetSha256. */
  datasetId: string;
  /** The model the Train page would fine-tune (a loaded Hub/local model must be the one loaded now). */
  model: TinyModelSpec;
  /** Seed-initialised models' character vocabulary (the dataset's characters); empty for pretrained bases. */
  vocab: string[];
  /**
   * The suite ("what it must not break") scored on the base once and on every cell's fine-tune after it trains; its id
   * is part of the curve's id, so cells scored on another suite (or none) are never reused for this one.
   */
  regressionSuite?: RegressionSuiteSpec;
}
