// A lost GPU device mid-run (device.destroy(), as a driver reset ends it): the run reconnects, resumes from its
// last checkpoint — the step counter continues from there — and keeps training. The run is longer than the test
// waits, so the loss always lands mid-run whatever the adapter's speed; the test cancels it at the end.
import { test, expect } from './fixtures';
import { cancelRun, createExampleDataset, currentStep, screenshot, startTinyRun, UNFINISHABLE_STEPS, useBackendFromEnv } from './helpers';

useBackendFromEnv();

test('losing the WebGPU device mid-run resumes from the last checkpoint and keeps training', async ({ page }) => {
  test.skip(!!process.env.TUNELAB_E2E_BACKEND && process.env.TUNELAB_E2E_BACKEND !== 'webgpu', 'only a WebGPU device can be lost');
  test.setTimeout(240_000);
  await page.goto('/');
  await createExampleDataset(page);
  await startTinyRun(page, { steps: UNFINISHABLE_STEPS, checkpointEvery: 4 });
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(9);
  const lost = await page.evaluate(() => (window as unknown as { tunelabDebug: { loseDevice(): Promise<boolean> } }).tunelabDebug.loseDevice());
  expect(lost, 'the app must be on WebGPU for this test').toBe(true);

  const notice = page.getByText(/The GPU device was lost; reconnected and resumed from step \d+\./);
  await expect(notice).toBeVisible({ timeout: 60_000 });
  const resumedFrom = Number((await notice.textContent())?.match(/from step (\d+)/)?.[1]);
  // The checkpoint it resumed from: a multiple of checkpointEvery, at least 8 (saved before we looked), so not a
  // restart from scratch. (The worker runs ahead of the step the page shows, so the page cannot bound it from above.)
  expect(resumedFrom % 4).toBe(0);
  expect(resumedFrom).toBeGreaterThanOrEqual(8);
  await screenshot(page, 'train-device-lost');

  // Training goes on from the checkpoint: every step seen after the notice is at or past it, and it advances.
  const seen = new Set<number>();
  await expect
    .poll(
      async () => {
        const step = await currentStep(page);
        seen.add(step);
        return step;
      },
      { timeout: 180_000, intervals: [100] },
    )
    .toBeGreaterThanOrEqual(resumedFrom + 4);
  expect(Math.min(...seen), `steps seen after the loss: ${[...seen]}`).toBeGreaterThanOrEqual(resumedFrom);
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await cancelRun(page);
});
