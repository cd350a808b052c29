// A lost GPU device mid-run (device.destroy(), as a driver reset ends it): the run reconnects, resumes from its
// last checkpoint — the step counter continues from there — and finishes.
import { test, expect } from '@playwright/test';
import { createExampleDataset, currentStep, screenshot, startTinyRun, useBackendFromEnv } from './helpers';

useBackendFromEnv();

test('losing the WebGPU device mid-run resumes from the last checkpoint and finishes', async ({ page }) => {
  test.skip(!!process.env.TUNELAB_E2E_BACKEND && process.env.TUNELAB_E2E_BACKEND !== 'webgpu', 'only a WebGPU device can be lost');
  test.setTimeout(240_000);
  await page.goto('/');
  await createExampleDataset(page);
  const steps = 24;
  await startTinyRun(page, { steps, checkpointEvery: 4 });
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(9);
  const stepBefore = await currentStep(page);

  const lost = await page.evaluate(() => (window as unknown as { tunelabDebug: { loseDevice(): Promise<boolean> } }).tunelabDebug.loseDevice());
  expect(lost, 'the app must be on WebGPU for this test').toBe(true);

  const notice = page.getByText(/The GPU device was lost; reconnected and resumed from step \d+\./);
  await expect(notice).toBeVisible({ timeout: 60_000 });
  const resumedFrom = Number((await notice.textContent())?.match(/from step (\d+)/)?.[1]);
  // The checkpoint it resumed from: a multiple of checkpointEvery, at least 8 (saved before we looked), not ahead of the run.
  expect(resumedFrom % 4).toBe(0);
  expect(resumedFrom).toBeGreaterThanOrEqual(8);
  expect(resumedFrom).toBeLessThanOrEqual(stepBefore + 4);
  await screenshot(page, 'train-device-lost');

  const seen = new Set<number>();
  await expect
    .poll(
      async () => {
        const step = await currentStep(page);
        seen.add(step);
        return page.getByTestId('run-status').textContent();
      },
      { timeout: 180_000, intervals: [100] },
    )
    .toBe('completed');
  expect(Math.min(...seen), `steps seen after the loss: ${[...seen]}`).toBeGreaterThanOrEqual(resumedFrom);
  expect(await currentStep(page)).toBe(steps);
  await expect(page.getByRole('status').filter({ hasText: 'completed' })).toContainText(`Finished ${steps} steps.`);
});
