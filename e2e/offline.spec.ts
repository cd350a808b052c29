// Offline after the first load: the service worker precaches the app, its workers, the wasm files and the Tiny World
// bases; with the network cut, a reload still starts the app, loads the shipped base and trains it.
import { test, expect } from './fixtures';
import { expectedBackend, generateWorldDataset, openPage, screenshot, startRun, useBackendFromEnv } from './helpers';

useBackendFromEnv();

test('load once, go offline, reload: the app starts, picks Tiny World 800k, trains and generates, with no failed request', async ({ page, context }) => {
  await page.goto('/');
  // The first visit installs the service worker; "ready to work offline" is said once its precache is complete.
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 });
  await screenshot(page, 'offline-ready');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const manifest = await page.evaluate(async () => (await fetch(document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href)).json());
  expect(manifest).toMatchObject({ short_name: 'TuneLab', display: 'standalone' });
  expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  // Installable: Chromium's own check of the manifest, icons and service worker finds nothing missing (a test
  // browser context counts as incognito, where nothing installs; that one reason is not the app's).
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
  await cdp.detach();

  const failed: string[] = [];
  const fromNetwork: string[] = [];
  context.on('requestfailed', (request) => failed.push(`${request.url()} (${request.failure()?.errorText})`));
  context.on('response', (response) => {
    if (!response.ok()) failed.push(`${response.url()} (HTTP ${response.status()})`);
    else if (!response.fromServiceWorker() && !response.url().startsWith('data:') && !response.url().startsWith('blob:')) fromNetwork.push(response.url());
  });
  await context.setOffline(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'TuneLab' })).toBeVisible();
  await expect(page.getByTestId('backend-status')).toContainText(expectedBackend(), { timeout: 60_000 });
  // Said once, at the first install; a later load is quiet.
  await expect(page.getByTestId('offline-ready')).toHaveCount(0);

  await openPage(page, 'Models');
  await page.getByLabel(/Tiny World 800k \(pretrained/).check();
  await expect(page.getByTestId('base-skills')).toContainText('ROUTE');
  await generateWorldDataset(page, 'ROUTE', 40);

  await openPage(page, 'Train');
  await startRun(page, { steps: 3, batchSize: 4, warmupSteps: 0, checkpointEvery: 1, validateEvery: 0, probeItems: 0 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 150_000 });
  await expect(page.getByTestId('run-step')).toHaveText('3 / 3');
  // The weights came from the precache, not a stand-in: the pretrained base reverses a word.
  await page.getByLabel('Prompt').fill('REV abcd=');
  await page.getByLabel('Max tokens').fill('5');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('heading', { name: 'Fine-tuned (step 3)' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('generate-base')).toHaveText(/^dcba/);
  await screenshot(page, 'offline-trained');

  expect(failed).toEqual([]);
  expect(fromNetwork).toEqual([]);
  await context.setOffline(false);
});
