// The compute backend the worker started (name, adapter, limits, why not WebGPU), as the page shows it.
export type { BackendInfo, BackendName } from '../engine/backend/init';
