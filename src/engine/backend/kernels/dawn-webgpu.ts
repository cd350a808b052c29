// Test helper: tfjs's WebGPU backend in Node on Dawn (npm `webgpu`) with SwiftShader, when its Vulkan ICD is present.
import { existsSync } from 'node:fs';
import { tf } from '../tf';

const swiftshaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Whether a Vulkan ICD for Dawn exists on this machine (tests skip otherwise). */
export const dawnAvailable = existsSync(process.env.VK_ICD_FILENAMES ?? swiftshaderIcd);

let gpu: GPU | null = null;

/** Makes 'webgpu' the tfjs backend, on a Dawn device; the GPU instance is held for the process (Dawn needs it alive). */
export async function useDawnWebGPU(): Promise<void> {
  if (tf.getBackend() === 'webgpu') return;
  process.env.VK_ICD_FILENAMES ??= swiftshaderIcd;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  gpu ??= create([]);
  // tfjs's backend checks navigator.gpu before it accepts a device.
  if (!(globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error(`Dawn found no adapter with VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}`);
  const device = await adapter.requestDevice({ requiredLimits: { maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage } });
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info), 0);
  await tf.setBackend('webgpu');
}
