// The train job's clock: time trained (this job plus the run's earlier jobs), tokens/s over a ~5 s window, and the ETA.
/** A throughput window is restarted once it spans more than this (tokens/s follows the recent pace, not the average). */
const WINDOW_SECONDS = 5;

export class TrainClock {
  private readonly startedAt = performance.now();
  private windowStart = performance.now();
  private windowTokens = 0;
  private windowSeconds = 0;

  /** `priorElapsedMs`: time the run had trained before this job (its last metric point's). */
  constructor(readonly priorElapsedMs: number) {}

  /** Time trained so far, earlier jobs included. */
  elapsedMs(): number {
    return this.priorElapsedMs + performance.now() - this.startedAt;
  }

  /** Starts a fresh throughput window (once training proper begins: setup and step-0 probes do not count). */
  startWindow(): void {
    this.windowStart = performance.now();
    this.windowTokens = 0;
  }

  /** Counts a step's tokens; tokens/s over the window so far (null before any time has passed). */
  addTokens(tokens: number): number | null {
    this.windowTokens += tokens;
    this.windowSeconds = (performance.now() - this.windowStart) / 1000;
    return this.windowSeconds > 0 ? this.windowTokens / this.windowSeconds : null;
  }

  /** After a step is reported: a window older than WINDOW_SECONDS starts over. */
  endStep(): void {
    if (this.windowSeconds > WINDOW_SECONDS) this.startWindow();
  }

  /** Seconds left at the pace of this job's steps (from `firstStep`, where the job started), or null before one. */
  etaSec(step: number, firstStep: number, total: number): number | null {
    const stepsPerSec = (step - firstStep) / ((performance.now() - this.startedAt) / 1000);
    return stepsPerSec > 0 ? (total - step) / stepsPerSec : null;
  }
}
