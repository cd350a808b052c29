// Backend choice: WebGPU (core adapter, else a compatibility adapter) → wasm → cpu, with the reason for any fallback.
import { tf } from './tf';
import { DeviceLostError } from './errors';
import { chooseTiling } from './kernels/lora-linear/tiling-choice';

export type BackendName = 'webgpu' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** Adapter description when on WebGPU, e.g. "google swiftshader" or a real GPU. */
  adapter?: { vendor: string; architecture: string; description: string; featureLevel: 'core' | 'compatibility'; isFallback: boolean };
  limits?: { maxStorageBufferBindingSize: number; maxBufferSize: number };
  /** Why we are not on WebGPU, in words a user can act on; empty when on WebGPU. */
  fallbackReason: string;
}

let current: BackendInfo | null = null;
/** The WebGPU device of the current backend (null on wasm/cpu), for the lost-device checks below. */
let currentDevice: GPUDevice | null = null;
let deviceLostListener: ((reason: string) => void) | null = null;

/** Called when the GPU device is lost (driver reset, tab backgrounded too long, device.destroy()). */
export function onDeviceLost(listener: (reason: string) => void): void {
  deviceLostListener = listener;
}

export function currentBackend(): BackendInfo | null {
  return current;
}

function isFallback(adapter: GPUAdapter): boolean {
  const a = adapter as GPUAdapter & { isFallbackAdapter?: boolean; info: GPUAdapterInfo & { isFallbackAdapter?: boolean } };
  return a.info?.isFallbackAdapter ?? a.isFallbackAdapter ?? false;
}

async function requestWebGPUDevice(): Promise<{ device: GPUDevice; adapter: GPUAdapter; featureLevel: 'core' | 'compatibility' } | string> {
  const gpu = (globalThis as { navigator?: Navigator }).navigator?.gpu;
  if (!gpu) return 'WebGPU is not available in this browser';
  let featureLevel: 'core' | 'compatibility' = 'core';
  let adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  // A software core adapter (SwiftShader) is several times slower than a compatibility adapter on a real
  // driver or lavapipe (measured: docs/bench.md); prefer the latter when the only core adapter is a fallback.
  if (!adapter || isFallback(adapter)) {
    const compat = await gpu.requestAdapter({ featureLevel: 'compatibility' } as GPURequestAdapterOptions);
    if (compat && (!adapter || !isFallback(compat))) {
      adapter = compat;
      featureLevel = 'compatibility';
    }
  }
  if (!adapter) return 'this browser exposes WebGPU but found no GPU adapter';
  const wanted: GPUFeatureName[] = ['timestamp-query', 'shader-f16', 'subgroups' as GPUFeatureName];
  const requiredFeatures = wanted.filter((f) => adapter.features.has(f));
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    },
  });
  return { device, adapter, featureLevel };
}

async function tryWebGPU(): Promise<BackendInfo | string> {
  let got;
  try {
    got = await requestWebGPUDevice();
  } catch (e) {
    return `WebGPU failed to start (${(e as Error).message})`;
  }
  if (typeof got === 'string') return got;
  const { device, adapter, featureLevel } = got;
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  const info = adapter.info;
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', async () => new WebGPUBackend(device, info), 3);
  if (!(await tf.setBackend('webgpu'))) return 'the WebGPU backend failed to initialise';
  await chooseTiling(); // measured once per adapter, then cached
  currentDevice = device;
  device.lost.then((lost) => {
    if (currentDevice === device) currentDevice = null;
    current = null;
    deviceLostListener?.(lost.message || lost.reason || 'unknown');
  });
  return {
    name: 'webgpu',
    adapter: {
      vendor: info.vendor,
      architecture: info.architecture,
      description: info.description,
      featureLevel,
      isFallback: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
    },
    limits: { maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize, maxBufferSize: device.limits.maxBufferSize },
    fallbackReason: '',
  };
}

async function tryWasm(): Promise<boolean> {
  try {
    const [wasm, { wasmFileUrls }] = await Promise.all([import('@tensorflow/tfjs-backend-wasm'), import('./wasm-files')]);
    wasm.setWasmPaths(wasmFileUrls, true);
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

/**
 * Picks the fastest backend that works here. `prefer` forces one (tests use 'cpu' in Node).
 * Never throws for a missing GPU: it falls back and says why in `fallbackReason`.
 */
export async function initBackend(prefer?: BackendName): Promise<BackendInfo> {
  if (current && (!prefer || prefer === current.name)) return current;
  let reason = '';
  if (!prefer || prefer === 'webgpu') {
    const result = await tryWebGPU();
    if (typeof result !== 'string') return (current = result);
    reason = result;
  }
  if (!prefer || prefer === 'wasm') {
    if (await tryWasm()) {
      currentDevice = null;
      return (current = { name: 'wasm', fallbackReason: reason ? `${reason} — running on WebAssembly, about 10× slower` : '' });
    }
    reason ||= 'WebAssembly backend failed to start';
  }
  await tf.setBackend('cpu');
  currentDevice = null;
  return (current = { name: 'cpu', fallbackReason: reason ? `${reason} — running on the plain JavaScript CPU backend, very slow` : '' });
}

/** Throws DeviceLostError if the device went away since init; jobs call this before touching tensors. */
export function assertBackendAlive(): void {
  if (!current) throw new DeviceLostError('The GPU device was lost.', 'TuneLab will reconnect to the GPU and resume from the last checkpoint.');
}

/**
 * Whether the GPU device is gone: true at once when device.lost has fired; otherwise waits up to `waitMs` for it,
 * because a failed GPU call can reject a moment before the lost promise settles.
 */
export async function deviceWasLost(waitMs = 500): Promise<boolean> {
  if (!current) return true;
  const device = currentDevice;
  if (!device) return false;
  return Promise.race([device.lost.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), waitMs))]);
}

/**
 * Test hook: destroys the WebGPU device under the running backend, exactly as a driver reset would end it
 * (device.lost fires with reason "destroyed"). Returns false (and does nothing) when not on WebGPU.
 */
export function debugLoseDevice(): boolean {
  const backend = tf.backend() as { device?: GPUDevice };
  if (current?.name !== 'webgpu' || !backend.device) return false;
  backend.device.destroy();
  return true;
}
