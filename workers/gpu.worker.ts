// The one GPU-owning worker: exposes TuneLab's jobs over comlink; the UI imports only its type.
import * as Comlink from 'comlink';
import { installErrorTransfer } from './error-transfer';
import { initBackend, type BackendInfo } from '../src/engine/backend/init';

installErrorTransfer();

const api = {
  /** Starts the fastest backend available here and says which it is (and why not WebGPU, if so). */
  async init(): Promise<BackendInfo> {
    return initBackend();
  },
};

export type GpuWorkerApi = typeof api;

Comlink.expose(api);
