// Times one experiment-preset training step in Chromium on WebGPU (docs/results.md): the same single cell on the
// Tiny World base at two step counts; the difference divided by the extra steps is the time of one step.
// Skipped unless TUNELAB_EXPERIMENT_TIMING is set (it takes minutes on a software adapter):
//   TUNELAB_EXPERIMENT_TIMING=1 E2E_PORT=4187 npx playwright test e2e/experiment-timing.spec.ts
import { test, expect } from './fixtures';
import { saturationPreset } from '../src/engine/experiments/presets';
import { specToQuery } from '../src/engine/experiments/url-state';

const short = 2;
const long = Number(process.env.TUNELAB_TIMING_STEPS ?? 8);

test.skip(!process.env.TUNELAB_EXPERIMENT_TIMING, 'set TUNELAB_EXPERIMENT_TIMING=1 to time preset steps');

for (const rank of (process.env.TUNELAB_TIMING_RANKS ?? '8').split(',').map(Number)) {
  test(`one preset step on WebGPU (rank ${rank})`, async ({ page }) => {
    test.setTimeout(1_800_000);
    const seconds: number[] = [];
    for (const steps of [short, long]) {
      const spec = { ...saturationPreset(), seeds: 1, axes: [{ knob: 'trainSize' as const, values: [400] }], extraCells: [], evalItems: 1 };
      spec.fixed = { ...spec.fixed, steps, rank };
      await page.goto(`/?${specToQuery(spec)}#/experiments`);
      const t0 = Date.now();
      await page.getByRole('button', { name: 'Run all 1' }).click();
      await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 1_500_000 });
      seconds.push((Date.now() - t0) / 1000);
    }
    const perStep = (seconds[1] - seconds[0]) / (long - short);
    console.log(`rank ${rank}: ${short} steps ${seconds[0].toFixed(1)} s, ${long} steps ${seconds[1].toFixed(1)} s → ${(perStep * 1000).toFixed(0)} ms per step`);
    expect(perStep).toBeGreaterThan(0);
  });
}
