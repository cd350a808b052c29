// Experiment sweep job: per-cell progress and the sweep's result.
import type { CellTiming, StoredCell } from '../../engine/experiments/types';

export interface ExperimentProgress {
  experimentId: string;
  /** Cells finished (stored earlier or in this job) and the total. */
  cellsDone: number;
  cellCount: number;
  /** The cell being trained now. */
  cellKey: string | null;
  step: number;
  steps: number;
  loss: number | null;
  /** Where the running cell's time went so far (the page's time estimate). */
  timing?: CellTiming;
  /** A cell that just finished, to add to the charts at once. */
  finished?: StoredCell;
}

export interface ExperimentJobResult {
  status: 'completed' | 'cancelled';
  ran: number;
  reused: number;
  seconds: number;
}
