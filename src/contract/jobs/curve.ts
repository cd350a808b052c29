// Learning-curve job (your data and model): its input; progress and result are the experiment job's.
import type { CurveSpec } from '../../engine/experiments/curve/spec';
import type { TinyModelSpec } from '../records';

export interface CurveJobInput {
  spec: CurveSpec;
  /** The stored dataset whose content hash is spec.datasetSha256. */
  datasetId: string;
  /** The model the Train page would fine-tune (a loaded Hub/local model must be the one loaded now). */
  model: TinyModelSpec;
  /** Seed-initialised models' character vocabulary (the dataset's characters); empty for pretrained bases. */
  vocab: string[];
  /**
   * Hook for the regression suite ("What it breaks", built on its own branch): when the lead wires it in, each cell
   * evaluates it before and after training. Left undefined today; the job does not read it yet.
   */
  regressionSuite?: unknown;
}
