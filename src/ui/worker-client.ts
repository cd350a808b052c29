// Starts the GPU worker lazily and hands out its typed comlink proxy; the worker type is imported as a type only.
import * as Comlink from 'comlink';
import type { GpuWorkerApi } from '../../workers/gpu.worker';
import { installErrorTransfer } from '../../workers/error-transfer';

let proxy: Comlink.Remote<GpuWorkerApi> | null = null;
let worker: Worker | null = null;

export function gpuWorker(): Comlink.Remote<GpuWorkerApi> {
  if (!proxy) {
    installErrorTransfer();
    worker = new Worker(new URL('../../workers/gpu.worker.ts', import.meta.url), { type: 'module', name: 'tunelab-gpu' });
    proxy = Comlink.wrap<GpuWorkerApi>(worker);
  }
  return proxy;
}

/** Kills the worker outright (a stuck shader cannot be interrupted any other way); the next call starts a fresh one. */
export function terminateGpuWorker(): void {
  worker?.terminate();
  proxy?.[Comlink.releaseProxy]();
  worker = null;
  proxy = null;
}
