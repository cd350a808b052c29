// Starts worker jobs with an id, and stops them: ask the worker first, restart it if a stuck job ignores the request.
import type * as Comlink from 'comlink';
import type { GpuWorkerApi } from '../../workers/gpu.worker';
import type { StopReason } from '../contract';
import { JobCancelledError } from '../engine/errors';
import { gpuWorker, terminateGpuWorker } from './worker-client';

export interface JobHandle<T> {
  id: string;
  result: Promise<T>;
  /** Cancel, or (for training) pause after a checkpoint. */
  stop(reason: StopReason): Promise<void>;
}

/** How long a job may ignore a stop request before the worker is terminated (a runaway shader cannot be interrupted). */
const STUCK_AFTER_MS = 20_000;

export function startJob<T>(call: (api: Comlink.Remote<GpuWorkerApi>, jobId: string) => Promise<T>): JobHandle<T> {
  const id = crypto.randomUUID();
  let settled = false;
  let forceReject: ((error: Error) => void) | null = null;
  const forced = new Promise<never>((_, reject) => (forceReject = reject));
  const result = Promise.race([call(gpuWorker(), id), forced]).finally(() => (settled = true));
  return {
    id,
    result,
    async stop(reason) {
      await gpuWorker().stop(id, reason);
      setTimeout(() => {
        if (settled) return;
        terminateGpuWorker();
        forceReject?.(new JobCancelledError('The job did not stop when asked, so the GPU worker was restarted.', 'Resume continues from the last checkpoint.'));
      }, STUCK_AFTER_MS);
    },
  };
}
