// Starts the GPU worker lazily and hands out its typed comlink proxy; the worker type is imported as a type only.
import * as Comlink from 'comlink';
import type { GpuWorkerApi } from '../../workers/gpu.worker';
import { installErrorTransfer } from '../../workers/error-transfer';
import workerUrl from '../../workers/gpu.worker.ts?worker&url';
import { startPolicedWorker, type PolicedWorker } from './policed-worker';

let proxy: Comlink.Remote<GpuWorkerApi> | null = null;
let worker: PolicedWorker | null = null;

export function gpuWorker(): Comlink.Remote<GpuWorkerApi> {
  if (!proxy) {
    installErrorTransfer();
    // Under the page's CSP (started from a blob: URL): index.html's connect-src governs every Hub download it makes.
    worker = startPolicedWorker(workerUrl, 'tunelab-gpu');
    proxy = Comlink.wrap<GpuWorkerApi>(worker.worker);
  }
  return proxy;
}

/** Kills the worker outright (a stuck shader cannot be interrupted any other way); the next call starts a fresh one. */
export function terminateGpuWorker(): void {
  worker?.dispose();
  proxy?.[Comlink.releaseProxy]();
  worker = null;
  proxy = null;
}
