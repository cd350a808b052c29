// The fused training kernels in real Chromium WebGPU match their float64 CPU references (odd shapes, tails, every
// tiling); the embedding gradient also on wasm, which lacks UnsortedSegmentSum.
import { test, expect } from '@playwright/test';

interface KernelSelftestDone {
  kind: 'done';
  backend: { name: string };
  checks: { kernel: string; shape: string; errors: Record<string, number> }[];
  chosenTiling: string | null;
  leakedTensors: number;
  ms: number;
}

for (const backend of ['webgpu', 'wasm']) {
  test(`training kernels match their references on ${backend}`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto(`/src/pages/train-kernels-selftest.html?backend=${backend}`);
    await page.waitForFunction(() => (window as { trainKernelSelftest?: unknown }).trainKernelSelftest !== undefined, null, { timeout: 220_000, polling: 500 });
    const result = await page.evaluate(() => (window as unknown as { trainKernelSelftest: { kind: string } }).trainKernelSelftest);
    expect(result.kind, JSON.stringify(result)).toBe('done');
    const done = result as KernelSelftestDone;
    expect(done.backend.name).toBe(backend);
    const kernels = new Set(done.checks.map((c) => c.kernel.split(' ')[0]));
    expect([...kernels].sort()).toEqual(backend === 'webgpu' ? ['adamw', 'embedding', 'linear', 'lora-linear'] : ['embedding']);
    for (const c of done.checks) {
      for (const [what, err] of Object.entries(c.errors)) expect(err, `${c.kernel} ${c.shape} ${what}`).toBeLessThanOrEqual(1e-4);
    }
    expect(done.leakedTensors).toBe(0);
    console.log(`training kernels on ${backend}: ${Math.round(done.ms)} ms, tiling ${done.chosenTiling}`);
  });
}
