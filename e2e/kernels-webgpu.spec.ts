// Every fused WGSL kernel matches its float64 CPU reference, forward and backward, in real Chromium on WebGPU
// (the lavapipe compatibility adapter by default), in a module worker, with no GPU errors and no leaked tensors.
import { test, expect } from './fixtures';

interface KernelSelftestDone {
  kind: 'done';
  backend: { name: string };
  checks: { what: string; error: number }[];
  gpuErrors: string[];
  leakedTensors: number;
  ms: number;
}

test('fused WGSL kernels match their float64 references on WebGPU', async ({ page }) => {
  test.setTimeout(540_000);
  await page.goto('/src/diagnostics/selftest/kernel-selftest.html');
  await page.waitForFunction(() => (window as { kernelSelftest?: unknown }).kernelSelftest !== undefined, null, { timeout: 520_000, polling: 500 });
  const result = await page.evaluate(() => (window as unknown as { kernelSelftest: { kind: string } }).kernelSelftest);
  expect(result.kind, JSON.stringify(result)).toBe('done');
  const done = result as KernelSelftestDone;
  expect(done.backend.name).toBe('webgpu');
  expect(done.gpuErrors).toEqual([]);
  // Every family ran, with forward and backward checks.
  for (const family of ['attention', 'softmax cross-entropy', 'LayerNorm', 'RMSNorm', 'GELU', 'SwiGLU', 'top-10 of', 'exact search']) {
    expect(done.checks.some((c) => c.what.startsWith(family)), family).toBe(true);
  }
  expect(done.checks.some((c) => c.what.includes('KV cache'))).toBe(true);
  for (const check of done.checks) expect(check.error, check.what).toBeLessThan(2e-5);
  expect(done.leakedTensors).toBe(0);
  console.log(`kernel self-test: ${done.checks.length} checks in ${Math.round(done.ms)} ms, worst ${Math.max(...done.checks.map((c) => c.error)).toExponential(1)}`);
});
