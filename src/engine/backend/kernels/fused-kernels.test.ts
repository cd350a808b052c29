// The fused WGSL kernels against their float64 CPU references, through tfjs's WebGPU backend on Dawn in Node (SwiftShader).
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { runKernelChecks } from './checks/index';
import { fusedKernelsActive } from './program';

const swiftshaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
const hasDawn = existsSync(process.env.VK_ICD_FILENAMES ?? swiftshaderIcd);
let device: GPUDevice | null = null;
let gpuInstance: GPU | null = null;
const gpuErrors: string[] = [];

async function startWebGPU(): Promise<void> {
  process.env.VK_ICD_FILENAMES ??= swiftshaderIcd;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  gpuInstance = create([]); // held for the whole file: Dawn crashes if the instance is collected before its devices
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: gpuInstance }, configurable: true });
  const adapter = await gpuInstance.requestAdapter();
  if (!adapter) throw new Error(`Dawn found no adapter with VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}`);
  device = await adapter.requestDevice();
  device.addEventListener('uncapturederror', (e) => gpuErrors.push((e as GPUUncapturedErrorEvent).error.message));
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  const d = device;
  tf.removeBackend('webgpu'); // the package registers its own factory on import
  tf.registerBackend('webgpu', () => new WebGPUBackend(d, adapter.info));
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs WebGPU backend did not start on Dawn');
}

afterAll(() => {
  tf.removeBackend('webgpu');
  device?.destroy();
});

describe('fused kernels on WebGPU (Dawn)', () => {
  it.skipIf(!hasDawn)('match the float64 references forward and backward', { timeout: 600_000 }, async () => {
    await startWebGPU();
    expect(fusedKernelsActive()).toBe(true);
    const before = tf.memory().numTensors;
    const only = process.env.KERNEL_CHECKS?.split(',');
    const checks = await runKernelChecks(only);
    for (const c of checks) console.log(`${c.error.toExponential(2)}  ${c.what}`);
    for (const c of checks) expect(c.error, c.what).toBeLessThan(2e-5);
    expect(tf.memory().numTensors - before).toBe(0);
    expect(gpuErrors).toEqual([]);
  });
});
