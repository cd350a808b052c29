// The fused WGSL kernels against their float64 CPU references, through tfjs's WebGPU backend on Dawn in Node (SwiftShader).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { runKernelChecks } from './check-suites';
import { useFusedKernels } from './webgpu-backend';

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

// The same check suites and golden fixtures run in Chromium in CI (e2e kernels-webgpu, engine-webgpu); on Dawn in Node
// they cost ~70 s of CI's 20 minutes, so they run with TUNELAB_SLOW_CHECKS=1.
describe.skipIf(!hasDawn || !process.env.TUNELAB_SLOW_CHECKS)('fused kernels on WebGPU (Dawn)', () => {
  beforeAll(startWebGPU, 120_000);

  it('match the float64 references forward and backward', { timeout: 600_000 }, async () => {
    expect(useFusedKernels()).toBe(true);
    const before = tf.memory().numTensors;
    const only = process.env.KERNEL_CHECKS?.split(',');
    const checks = await runKernelChecks(only);
    if (!only || only.includes('exactSearch')) checks.push(...(await (await import('../../embed/exact-search-check')).exactSearchChecks()));
    for (const c of checks) console.log(`${c.error.toExponential(2)}  ${c.what}`);
    for (const c of checks) expect(c.error, c.what).toBeLessThan(2e-5);
    expect(tf.memory().numTensors - before).toBe(0);
    expect(gpuErrors).toEqual([]);
  });

  it('KV-cache decode equals full recomputation (GPT-2 packed cache rows, Llama GQA heads, Qwen3 q/k norms, Gemma 3 past its sliding window)', { timeout: 300_000 }, async () => {
    const { createModel } = await import('../../models/causal-lm');
    const { KvCache } = await import('../../models/kv-cache');
    const { relativeError } = await import('./check-harness');
    const before = tf.memory().numTensors;
    for (const name of (process.env.KV_ONLY ?? 'gpt2,llama,qwen3,gemma3').split(',')) {
      const fixture = (await import(`../../models/fixtures/${name}.json`)).default;
      const model = createModel(fixture.config, { seed: 5 });
      const ids = [3, 1, 4, 1, 5, 9, 2, 6];
      const fullInput = tf.tensor2d([ids], [1, ids.length], 'int32');
      const full = model.forward(fullInput); // [1, T, V]
      const fullData = await full.data();
      tf.dispose([fullInput, full]);
      const cache = new KvCache(model.dims.layers);
      const stepped: number[] = [];
      // Prefill 3 tokens, then one at a time.
      for (const chunk of [ids.slice(0, 3), ...ids.slice(3).map((i) => [i])]) {
        const input = tf.tensor2d([chunk], [1, chunk.length], 'int32');
        const out = model.forward(input, { cache });
        stepped.push(...(await out.data()));
        tf.dispose([input, out]);
      }
      cache.dispose();
      model.dispose();
      const error = relativeError(Float32Array.from(stepped), fullData);
      console.log(`${error.toExponential(2)}  ${name}: cached vs recomputed logits`);
      expect(error, name).toBeLessThan(1e-5);
    }
    expect(tf.memory().numTensors - before).toBe(0);
    expect(gpuErrors).toEqual([]);
  });

  it.skipIf(process.env.KERNEL_CHECKS !== undefined)('keep the engine on the float64 PyTorch golden fixtures (kernels on, ≤ 1e-3 as in Chromium)', { timeout: 600_000 }, async () => {
    const { runGoldenChecks } = await import('../../train/golden-check');
    const fixtures = await Promise.all((process.env.GOLDEN_ONLY?.split(',') ?? ['gpt2', 'llama', 'qwen2', 'qwen3', 'qwen3-bias', 'gemma3']).map(async (n) => (await import(`../../models/fixtures/${n}.json`)).default));
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
