// Runs the worker's jobs one at a time (one GPU owner); each job gets an AbortSignal that cancel(jobId) fires.
import type { StopReason } from '../src/contract/jobs/queue';
import { JobCancelledError } from '../src/engine/errors';

export class JobQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly controllers = new Map<string, AbortController>();
  private runningId: string | null = null;

  /** Queues `work`; it starts when every earlier job has settled. */
  run<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.controllers.set(jobId, controller);
    const result = this.tail.then(async () => {
      if (controller.signal.aborted) throw new JobCancelledError('The job was cancelled before it started.');
      this.runningId = jobId;
      try {
        return await work(controller.signal);
      } finally {
        this.runningId = null;
      }
    });
    this.tail = result.catch(() => undefined);
    return result.finally(() => this.controllers.delete(jobId));
  }

  stop(jobId: string, reason: StopReason): boolean {
    const controller = this.controllers.get(jobId);
    if (!controller) return false;
    controller.abort(reason);
    return true;
  }

  /** Ids of the running job and the queued ones, running first. */
  pending(): { running: string | null; queued: string[] } {
    return { running: this.runningId, queued: [...this.controllers.keys()].filter((id) => id !== this.runningId) };
  }
}

export function stopReason(signal: AbortSignal): StopReason | null {
  if (!signal.aborted) return null;
  return signal.reason === 'pause' ? 'pause' : 'cancel';
}
