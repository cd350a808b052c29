// The largest GPU buffer one tensor may use here: the device's binding/buffer limits on WebGPU, or a test override.
import { currentBackend } from './init';

let override: number | null = null;

/** Tests force a small limit (a tiny checkpoint then splits its embedding as a 151k-token one would on a real GPU). */
export function setBufferLimitOverride(bytes: number | null): void {
  override = bytes;
}

/** min(maxStorageBufferBindingSize, maxBufferSize) of the running WebGPU device; Infinity on wasm/cpu (no such limit). */
export function bufferLimitBytes(): number {
  if (override !== null) return override;
  const limits = currentBackend()?.limits;
  return limits ? Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) : Infinity;
}
