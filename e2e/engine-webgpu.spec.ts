// The engine on WebGPU in real Chromium matches the float64 PyTorch fixtures to 1e-3 (golden checks in a worker).
import { test, expect } from '@playwright/test';

test('engine golden checks pass on WebGPU in a module worker', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/src/pages/engine-selftest.html');
  await page.waitForFunction(() => (window as { engineSelftest?: unknown }).engineSelftest !== undefined, null, { timeout: 280_000, polling: 500 });
  const result = await page.evaluate(() => (window as unknown as { engineSelftest: Record<string, unknown> }).engineSelftest);
  console.log(JSON.stringify(result));
  expect(result.kind, JSON.stringify(result)).toBe('done');
  const done = result as { backend: { name: string }; reports: { name: string; checks: { what: string; error: number }[] }[]; kvCacheMatches: boolean; leakedTensors: number; ms: number };
  expect(done.backend.name).toBe('webgpu');
  expect(done.reports.map((r) => r.name)).toEqual(['gpt2', 'llama', 'qwen2']);
  for (const report of done.reports) {
    for (const check of report.checks) expect(check.error, `${report.name}: ${check.what}`).toBeLessThanOrEqual(1e-3);
  }
  expect(done.kvCacheMatches).toBe(true);
  expect(done.leakedTensors).toBe(0);
  console.log(`engine self-test on WebGPU: ${Math.round(done.ms)} ms`, JSON.stringify(done.reports.map((r) => [r.name, r.checks.map((c) => c.error.toExponential(1))])));
});
