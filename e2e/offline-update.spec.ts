// A newer version of the app waits for the user: "Reload to update" appears, and pressing it reloads into the new version
// (never on its own: a reload interrupts a training run). The app is served by a small server whose sw.js can change.
import { test, expect } from './fixtures';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';

const DIST = resolve(import.meta.dirname, '../dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json', '.md': 'text/markdown',
};

/** Serves dist/; the service worker script carries `version` as a trailing comment, so bumping it is a new deploy. */
async function startDeployServer() {
  const deploy = { version: 1, origin: '', close: () => new Promise<void>((r) => server.close(() => r())) };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = normalize(join(DIST, decodeURIComponent(path === '/' ? '/index.html' : path)));
    if (!file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    let body: Buffer = readFileSync(file);
    if (path === '/sw.js') body = Buffer.concat([body, Buffer.from(`\n// deploy ${deploy.version}\n`)]);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  deploy.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return deploy;
}

test('a new service worker waits for "Reload to update", which applies it', async ({ page }) => {
  const deploy = await startDeployServer();
  try {
    await page.goto(`${deploy.origin}/`);
    await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('update-waiting')).toHaveCount(0);

    // Version 2 is found by the page that installed version 1; version 3 by a page that version 2 controlled from its start.
    for (const version of [2, 3]) {
      deploy.version = version;
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
      await expect(page.getByTestId('update-waiting')).toBeVisible({ timeout: 60_000 });
      // It waits: the page stays with the version it runs until the user says so.
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting !== null)).toBe(true);
      await page.getByTestId('update-waiting').screenshot({ path: 'test-results/screenshots/offline-update-waiting.png' });

      const reloaded = page.waitForEvent('load');
      await page.getByRole('button', { name: 'Reload to update' }).click();
      await reloaded;
      await expect(page.getByRole('heading', { level: 2, name: 'Models' })).toBeVisible();
      await expect(page.getByTestId('update-waiting')).toHaveCount(0);
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting)).toBeNull();
    }
  } finally {
    await deploy.close();
  }
});
