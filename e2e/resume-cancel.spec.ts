// Interrupted runs resume from their last checkpoint (the step counter continues), cancel leaves no job behind,
// and a diverging run stops as "diverged" keeping its last good checkpoint.
import { test, expect } from './fixtures';
import { createExampleDataset, currentStep, openPage, screenshot, startTinyRun, UNFINISHABLE_STEPS, useBackendFromEnv } from './helpers';

useBackendFromEnv();

test('reload mid-run → Resume continues from the checkpoint; Cancel → cancelled, no job left', async ({ page }) => {
  await page.goto('/');
  await createExampleDataset(page);
  await startTinyRun(page, { steps: UNFINISHABLE_STEPS, checkpointEvery: 3 });
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(4);

  await page.reload();
  await openPage(page, 'Train');
  await expect(page.getByTestId('run-status')).toHaveText('interrupted');
  const checkpoint = Number(await page.getByTestId('run-last-checkpoint').textContent());
  expect(checkpoint).toBeGreaterThanOrEqual(3);
  expect(checkpoint % 3).toBe(0);
  await screenshot(page, 'train-interrupted');

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  const seen = new Set<number>();
  await expect
    .poll(
      async () => {
        const step = await currentStep(page);
        seen.add(step);
        return step;
      },
      { timeout: 120_000, intervals: [100] },
    )
    .toBeGreaterThanOrEqual(checkpoint + 2);
  expect(Math.min(...seen), `steps seen after resume: ${[...seen]}`).toBeGreaterThanOrEqual(checkpoint);
  // The chart keeps the points up to the checkpoint and adds the resumed ones (it redraws about once a second).
  const chartPoints = async () => Number((await page.getByTestId('loss-summary').textContent())?.match(/(\d+) measured/)?.[1] ?? 0);
  await expect.poll(chartPoints, { timeout: 30_000 }).toBeGreaterThan(checkpoint);

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  const stoppedAt = await currentStep(page);
  await page.waitForTimeout(2_000);
  expect(await currentStep(page)).toBe(stoppedAt);
  await expect(page.getByRole('button', { name: 'Start new run' })).toBeEnabled();
  // The one-at-a-time queue is free: a new job (generation) runs to the end.
  await page.getByLabel('Prompt').fill('abc>');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('heading', { name: /^Fine-tuned \(step \d+\)$/ })).toBeVisible({ timeout: 60_000 });
});

test('a diverging run stops as "diverged" and keeps its last good checkpoint', async ({ page }) => {
  await page.goto('/');
  await createExampleDataset(page);
  await openPage(page, 'Train');
  // Clipping off and an absurd learning rate: the first update overflows float32, the next loss is NaN.
  await page.getByLabel('Gradient clip (global norm)').fill('0');
  await startTinyRun(page, { steps: 30, checkpointEvery: 1, learningRate: '1e35' });
  await expect(page.getByTestId('run-status')).toHaveText('diverged', { timeout: 120_000 });
  await expect(page.getByRole('status').filter({ hasText: 'diverged' })).toContainText(/loss became NaN or infinite at step \d+\. The last good checkpoint \(step \d+\) is kept/);
  await screenshot(page, 'train-diverged');
});
