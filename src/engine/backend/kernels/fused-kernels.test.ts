// The fused WGSL kernels against their float64 CPU references, through tfjs's WebGPU backend on Dawn in Node (SwiftShader).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.skipIf(!hasDawn)('fused kernels on WebGPU (Dawn)', () => {
  beforeAll(startWebGPU, 120_000);

  it('match the float64 references forward and backward', { timeout: 600_000 }, async () => {
    expect(fusedKernelsActive()).toBe(true);
    const before = tf.memory().numTensors;
    const only = process.env.KERNEL_CHECKS?.split(',');
    const checks = await runKernelChecks(only);
    for (const c of checks) console.log(`${c.error.toExponential(2)}  ${c.what}`);
    for (const c of checks) expect(c.error, c.what).toBeLessThan(2e-5);
    expect(tf.memory().numTensors - before).toBe(0);
    expect(gpuErrors).toEqual([]);
  });

  it.skipIf(process.env.KERNEL_CHECKS !== undefined)('keep the engine on the float64 PyTorch golden fixtures (kernels on, ≤ 1e-3 as in Chromium)', { timeout: 600_000 }, async () => {
    const { runGoldenChecks } = await import('../../models/golden-check');
    const fixtures = await Promise.all(['gpt2', 'llama', 'qwen2'].map(async (n) => (await import(`../../models/fixtures/${n}.json`)).default));
    const before = tf.memory().numTensors;
    for (const fixture of fixtures) {
      const report = await runGoldenChecks(fixture);
      for (const c of report.checks) console.log(`${c.error.toExponential(2)}  ${report.name}: ${c.what}`);
      for (const c of report.checks) expect(c.error, `${report.name}: ${c.what}`).toBeLessThanOrEqual(1e-3);
    }
    expect(tf.memory().numTensors - before).toBe(0);
    expect(gpuErrors).toEqual([]);
  });
});
