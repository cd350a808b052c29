// The fused training kernels in real Chromium WebGPU match their float64 CPU references (odd shapes, tails, every
// tiling); the embedding gradient also on wasm, which lacks UnsortedSegmentSum.
import { test, expect } from './fixtures';

interface KernelSelftestDone {
  kind: 'done';
  backend: { name: string };
  /** f16 base-weight checks also carry their bound ratios against the f32 W and how far the rounding moves y. */
  checks: { kernel: string; shape: string; errors: Record<string, number>; boundRatios?: Record<string, number>; roundingEffect?: number }[];
  chosenTiling: string | null;
  leakedTensors: number;
  ms: number;
}

for (const backend of ['webgpu', 'wasm']) {
  test(`training kernels match their references on ${backend}`, async ({ page }) => {
    test.setTimeout(400_000);
    await page.goto(`/src/diagnostics/selftest/train-kernels-selftest.html?backend=${backend}`);
    await page.waitForFunction(() => (window as { trainKernelSelftest?: unknown }).trainKernelSelftest !== undefined, null, { timeout: 380_000, polling: 500 });
    const result = await page.evaluate(() => (window as unknown as { trainKernelSelftest: { kind: string } }).trainKernelSelftest);
    expect(result.kind, JSON.stringify(result)).toBe('done');
    const done = result as KernelSelftestDone;
    expect(done.backend.name).toBe(backend);
    const kernels = new Set(done.checks.map((c) => c.kernel.split(' ')[0]));
    expect([...kernels].sort()).toEqual(backend === 'webgpu' ? ['adamw', 'embedding', 'linear', 'linear-f16', 'lora-linear', 'lora-linear-f16'] : ['embedding']);
    for (const c of done.checks) {
      // f16 checks: errors are against the reference on the f16-rounded W, so the same tolerance holds.
      for (const [what, err] of Object.entries(c.errors)) expect(err, `${c.kernel} ${c.shape} ${what}`).toBeLessThanOrEqual(1e-4);
      // ... and against the f32 W within f16's rounding bound, closer to the rounded reference than the references are to each other.
      for (const [what, ratio] of Object.entries(c.boundRatios ?? {})) expect(ratio, `${c.kernel} ${c.shape} ${what} vs f32 W`).toBeLessThanOrEqual(1);
      if (c.roundingEffect !== undefined) expect(c.errors.y, `${c.kernel} ${c.shape} y`).toBeLessThan(c.roundingEffect / 4);
    }
    expect(done.leakedTensors).toBe(0);
    console.log(`training kernels on ${backend}: ${Math.round(done.ms)} ms, tiling ${done.chosenTiling}`);
  });
}
