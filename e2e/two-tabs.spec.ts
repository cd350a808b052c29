// Two tabs, one run: the tab that trains a run owns it (Web Lock); the other shows it running there, live, with no
// Resume; Resume appears only when no tab holds it (paused there, or that tab closed); an older tab steps aside for a
// newer database schema and says why.
import { test, expect, type Page } from './fixtures';
import type { Locator } from '@playwright/test';
import { createExampleDataset, currentStep, expectedBackend, openPage, screenshot, startTinyRun, UNFINISHABLE_STEPS, useBackendFromEnv } from './helpers';
import { reducedSpec, saturationPreset } from '../src/engine/experiments/presets';
import { specToQuery } from '../src/engine/experiments/url-state';

useBackendFromEnv();

/** The step shown in `scope` (the page, or one card of it) moves on. */
async function expectStepsAdvance(page: Page, scope: Page | Locator = page): Promise<void> {
  const step = async () => Number(((await scope.getByTestId('run-step').textContent()) ?? '').split('/')[0].trim());
  const from = await step();
  await expect.poll(step, { timeout: 120_000 }).toBeGreaterThan(from);
}

test('a run is trained by one tab; the other follows it live and offers Resume only when no tab holds it', async ({ context }) => {
  const first = await context.newPage();
  await first.goto('/');
  await createExampleDataset(first);
  await startTinyRun(first, { steps: UNFINISHABLE_STEPS, checkpointEvery: 2 });
  await expect(first.getByTestId('run-status')).toHaveText('running');
  await expect.poll(() => currentStep(first), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);

  // A second tab opened meanwhile: the run is not "interrupted", it is running in the first tab, and the steps move here too.
  const second = await context.newPage();
  await second.goto('/');
  await openPage(second, 'Train');
  await expect(second.getByTestId('run-status')).toHaveText('running in another tab');
  await expect(second.getByRole('button', { name: 'Resume' })).toHaveCount(0);
  await expectStepsAdvance(second);
  await screenshot(second, 'two-tabs-second-follows');
  await expect(first.getByTestId('run-status')).toHaveText('running');

  // Paused in the first tab: nobody holds it, so either tab may resume it; the second does and now owns it.
  await first.getByRole('button', { name: 'Pause' }).click();
  await expect(first.getByTestId('run-status')).toHaveText('paused', { timeout: 60_000 });
  await expect(second.getByTestId('run-status')).toHaveText('paused');
  await second.getByRole('button', { name: 'Resume' }).click();
  await expect(second.getByTestId('run-status')).toHaveText('running');
  await expect(first.getByTestId('run-status')).toHaveText('running in another tab');
  await expect(first.getByRole('button', { name: 'Resume' })).toHaveCount(0);
  await expectStepsAdvance(first);
  await screenshot(first, 'two-tabs-first-follows');

  // The owning tab goes away mid-run: its lock is released, the run was left "running", so the other tab offers Resume.
  await second.close();
  await expect(first.getByTestId('run-status')).toHaveText('interrupted', { timeout: 30_000 });
  await first.getByRole('button', { name: 'Resume' }).click();
  await expect(first.getByTestId('run-status')).toHaveText('running');
  await expectStepsAdvance(first);
  await first.getByRole('button', { name: 'Cancel' }).click();
  await expect(first.getByTestId('run-status')).toHaveText('cancelled');

  // A newer schema opened in another tab (versionchange): the older tab closes its connection and says why.
  const newer = await context.newPage();
  await newer.goto('/favicon.svg');
  const upgradedTo = await newer.evaluate(async () => {
    const current = (await indexedDB.databases()).find((d) => d.name === 'tunelab')!.version!;
    return new Promise<number>((resolve, reject) => {
      const request = indexedDB.open('tunelab', current + 1);
      request.onsuccess = () => {
        request.result.close();
        resolve(current + 1);
      };
      request.onerror = () => reject(request.error);
    });
  });
  await expect(first.getByTestId('database-closed')).toContainText(`A newer version of TuneLab (database schema ${upgradedTo}) was opened in another tab`);
  await expect(first.getByRole('button', { name: 'Reload this tab' })).toBeVisible();
  await screenshot(first, 'two-tabs-database-closed');
});

test('a sweep runs in one tab: the same sweep started in a second tab is refused with the reason', async ({ context }) => {
  // A sweep whose first cell cannot finish while the test looks; cancelled at the end.
  const spec = reducedSpec(saturationPreset());
  const url = `/?${specToQuery({ ...spec, fixed: { ...spec.fixed, steps: UNFINISHABLE_STEPS } })}#/experiments`;
  const first = await context.newPage();
  await first.goto(url);
  // A sweep started before the backend is up may run on the synchronous CPU backend and starve the worker's messages.
  await expect(first.getByTestId('backend-status')).toContainText(expectedBackend(), { timeout: 60_000 });
  await first.getByRole('button', { name: /^Run all \d+$/ }).click();
  await expect(first.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await expect(first.getByRole('status').filter({ hasText: /^Run 1 of \d+ · step [1-9]/ })).toBeVisible({ timeout: 120_000 });

  const second = await context.newPage();
  await second.goto(url);
  await second.getByRole('button', { name: /^Run all \d+$/ }).click();
  await expect(second.getByRole('alert')).toContainText('This sweep is running in another TuneLab tab');
  await expect(second.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await screenshot(second, 'two-tabs-sweep-refused');

  await first.getByRole('button', { name: 'Cancel' }).click();
  await expect(first.getByRole('status').filter({ hasText: /^Cancelled:/ })).toBeVisible({ timeout: 60_000 });
});

test('a pretraining run is owned by one tab too: the other follows it on the Models page without Resume', async ({ context }) => {
  const first = await context.newPage();
  await first.goto('/');
  await openPage(first, 'Models');
  const card = (page: Page) => page.getByRole('region', { name: 'Pretrain a Tiny World model' });
  await card(first).getByRole('radio', { name: /^30k — 2 layers, d 32/ }).check();
  await card(first).getByRole('spinbutton', { name: 'Steps', exact: true }).fill(String(UNFINISHABLE_STEPS));
  await card(first).getByLabel(/^Batch/).fill('4');
  await card(first).getByLabel('Warmup steps').fill('0');
  await card(first).getByLabel('Measure skills every (steps)').fill('1000');
  await card(first).getByLabel('Items per skill when measuring').fill('1');
  await card(first).getByRole('button', { name: 'Start pretraining' }).click();
  await expect(card(first).getByTestId('run-status')).toHaveText('running');

  const second = await context.newPage();
  await second.goto('/');
  await openPage(second, 'Models');
  await expect(card(second).getByTestId('run-status')).toHaveText('running in another tab');
  await expect(card(second).getByRole('button', { name: 'Resume' })).toHaveCount(0);
  await expectStepsAdvance(second, card(second));

  await card(first).getByRole('button', { name: 'Cancel' }).click();
  await expect(card(first).getByTestId('run-status')).toHaveText('cancelled');
  await expect(card(second).getByTestId('run-status')).toHaveText('cancelled');
  await expect(card(second).getByRole('button', { name: 'Resume' })).toHaveCount(0);
});
