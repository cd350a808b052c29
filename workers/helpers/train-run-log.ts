// The train job's record of one run: metric points not yet saved, the last checkpoint, tokens seen, and the run's
// updates in IndexedDB (checkpoint, final status) with the progress event each one sends.
import type { TrainProgress, TrainResult } from '../../src/contract';
import type { MetricPoint, RunRecord, RunStatus } from '../../src/contract';
import { saveCheckpoint, updateRun } from '../../src/storage/runs';
import type { PortTrainer } from './engine-port';

export type TrainReport = (p: TrainProgress, force?: boolean) => void;

export class TrainRunLog {
  /** Points measured since the last checkpoint: saved with the next one, or with the run's final status. */
  private unsaved: MetricPoint[] = [];
  private tokensAtCheckpoint: number;
  lastCheckpointStep: number | null;
  /** Target tokens trained on so far, earlier jobs included. */
  tokensSeen: number;
  /** Sent with every step's progress once set (after a lost GPU device was recovered from). */
  notice: string | undefined;

  constructor(
    private readonly runId: string,
    private readonly run: RunRecord,
    /** The step the trainer starts from (its checkpoint's). */
    fromStep: number,
    private readonly report: TrainReport,
  ) {
    this.lastCheckpointStep = run.lastCheckpointStep;
    this.tokensSeen = this.tokensBefore(fromStep);
    this.tokensAtCheckpoint = this.tokensSeen;
  }

  private get total(): number {
    return this.run.hyper.steps;
  }

  /** Tokens trained on up to `step`, from the stored points (points after it are measured again). */
  private tokensBefore(step: number): number {
    return this.run.metrics.filter((m) => m.step <= step && m.tokensSeen !== undefined).at(-1)?.tokensSeen ?? 0;
  }

  /** Keeps a measured point until the next checkpoint. */
  keep(point: MetricPoint): void {
    this.unsaved.push(point);
  }

  /** Sends a step's progress (throttled by the queue unless forced). */
  reportStep(point: MetricPoint, fields: { loss: number | null; tokensPerSec: number | null; etaSec: number | null }, force?: boolean, notice = this.notice): void {
    this.report({ runId: this.runId, step: point.step, totalSteps: this.total, ...fields, newMetrics: [point], lastCheckpointStep: this.lastCheckpointStep, notice }, force);
  }

  /** Saves the trainer's state with the points measured since the last checkpoint. */
  async checkpoint(trainer: PortTrainer): Promise<void> {
    await saveCheckpoint(this.runId, trainer.step, await trainer.checkpoint(), this.unsaved);
    this.unsaved = [];
    this.lastCheckpointStep = trainer.step;
    this.tokensAtCheckpoint = this.tokensSeen;
  }

  /** After a lost device: the new trainer starts from its checkpoint at `step`; what was measured after it is dropped. */
  restartFrom(step: number, notice: string): void {
    this.unsaved = [];
    this.tokensSeen = step === this.lastCheckpointStep ? this.tokensAtCheckpoint : this.tokensBefore(step);
    this.notice = notice;
  }

  /** Stores the run's final status (with its unsaved points, except when it diverged) and sends a last event. */
  async finish(status: RunStatus, step: number, message?: string): Promise<TrainResult> {
    await updateRun(this.runId, { status, step, message, appendMetrics: status === 'diverged' ? [] : this.unsaved });
    this.report({ runId: this.runId, step, totalSteps: this.total, loss: null, tokensPerSec: null, etaSec: null, newMetrics: [], lastCheckpointStep: this.lastCheckpointStep }, true);
    return { status, step, message };
  }
}
