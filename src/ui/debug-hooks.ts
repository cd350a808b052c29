// Console/e2e hooks on `window.tunelabDebug`: honest triggers for failure paths that are hard to provoke by hand.
import { gpuWorker } from './worker-client';

export interface TunelabDebug {
  /** Destroys the worker's WebGPU device (device.lost fires as on a driver reset); resolves false when not on WebGPU. */
  loseDevice(): Promise<boolean>;
}

export function installDebugHooks(): void {
  (globalThis as { tunelabDebug?: TunelabDebug }).tunelabDebug = { loseDevice: () => gpuWorker().debugLoseDevice() };
}
