// Training and pretraining jobs: progress events (new metric points, checkpoint, notices) and the result.
import type { MetricPoint, RunStatus } from '../records';
import type { RunRegression } from '../regression-suite';

export interface TrainProgress {
  runId: string;
  step: number;
  totalSteps: number;
  loss: number | null;
  tokensPerSec: number | null;
  etaSec: number | null;
  /** Metric points measured since the last event (the UI appends them to its charts). */
  newMetrics: MetricPoint[];
  lastCheckpointStep: number | null;
  /** e.g. "Reconnected to the GPU, resumed from step 40". */
  notice?: string;
  /** Sent once the regression suite's base scores (or its final comparison) are stored on the run. */
  regression?: RunRegression;
}

export interface TrainResult {
  status: RunStatus;
  step: number;
  message?: string;
}
