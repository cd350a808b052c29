// Console/e2e hooks on `window.tunelabDebug`: honest triggers for failure paths that are hard to provoke by hand.
import { gpuWorker } from './worker-client';

export interface TunelabDebug {
  /** Destroys the worker's WebGPU device (device.lost fires as on a driver reset); resolves false when not on WebGPU. */
  loseDevice(): Promise<boolean>;
  /** Pretends the GPU's largest buffer is `bytes` for models loaded from now on (null: the device's own limit). */
  bufferLimit(bytes: number | null): Promise<void>;
  /** The loaded model's logits [T, V] for `text`, row-major. */
  logits(text: string): Promise<Float32Array>;
}

export function installDebugHooks(): void {
  (globalThis as { tunelabDebug?: TunelabDebug }).tunelabDebug = {
    loseDevice: () => gpuWorker().debugLoseDevice(),
    bufferLimit: (bytes) => gpuWorker().debugBufferLimit(bytes),
    logits: (text) => gpuWorker().debugLogits(text),
  };
}
