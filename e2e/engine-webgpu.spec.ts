// The engine in real Chromium matches the float64 PyTorch fixtures to 1e-3: golden checks in a module worker,
// on WebGPU (the product's path) and on wasm (the fallback, whose missing gather gradient the op layer avoids).
import { test, expect } from './fixtures';

interface SelftestDone {
  kind: 'done';
  backend: { name: string };
  reports: { name: string; checks: { what: string; error: number }[] }[];
  kvCacheMatches: boolean;
  leakedTensors: number;
  ms: number;
}

for (const backend of ['webgpu', 'wasm']) {
  test(`engine golden checks pass on ${backend} in a module worker`, async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto(`/src/diagnostics/selftest/engine-selftest.html?backend=${backend}`);
    await page.waitForFunction(() => (window as { engineSelftest?: unknown }).engineSelftest !== undefined, null, { timeout: 280_000, polling: 500 });
    const result = await page.evaluate(() => (window as unknown as { engineSelftest: { kind: string } }).engineSelftest);
    expect(result.kind, JSON.stringify(result)).toBe('done');
    const done = result as SelftestDone;
    expect(done.backend.name).toBe(backend);
    expect(done.reports.map((r) => r.name)).toEqual(['gpt2', 'llama', 'qwen2', 'qwen3', 'gemma3', 'bert']);
    for (const report of done.reports) {
      for (const check of report.checks) expect(check.error, `${report.name}: ${check.what}`).toBeLessThanOrEqual(1e-3);
    }
    expect(done.kvCacheMatches).toBe(true);
    expect(done.leakedTensors).toBe(0);
    console.log(`engine self-test on ${backend}: ${Math.round(done.ms)} ms`, JSON.stringify(done.reports.map((r) => [r.name, r.checks.map((c) => c.error.toExponential(1))])));
  });
}
