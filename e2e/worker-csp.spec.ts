// The GPU worker runs under the page's Content-Security-Policy: its Hub downloads can reach only the hosts index.html names.
import { test, expect } from './fixtures';

test('the GPU worker is started under the page\'s CSP: a host the policy does not name is refused inside it', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByTestId('backend-status')).toContainText('WebGPU', { timeout: 60_000 });
  // Each probe is answered (200) by the test if the browser lets it out: only the policy can refuse one.
  const probes = ['https://example.org/', 'https://huggingface.co/tunelab-probe/resolve/main/config.json'];
  for (const url of probes) await context.route(url, (route) => route.fulfill({ status: 200, body: 'reached', headers: { 'access-control-allow-origin': '*' } }));
  let gpu = null;
  for (const worker of page.workers()) if ((await worker.evaluate(() => self.name)) === 'tunelab-gpu') gpu = worker;
  expect(gpu, 'the GPU worker is running').not.toBeNull();
  expect(gpu!.url()).toMatch(/^blob:/);
  const outcome = await gpu!.evaluate(async (urls) => {
    const violations: string[] = [];
    self.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    const fetched = await Promise.all(urls.map((url) => fetch(url).then((r) => r.text(), () => 'refused')));
    await new Promise((r) => setTimeout(r, 100));
    // The app's own files still load from the worker (a Tiny World base's config, as base-model.ts fetches it).
    const own = await fetch(new URL('models/tiny-world-800k/config.json', location.origin + '/')).then((r) => r.status);
    return { fetched, violations, own };
  }, probes);
  expect(outcome.fetched).toEqual(['refused', 'reached']);
  expect(outcome.violations).toEqual([`connect-src ${probes[0]}`]);
  expect(outcome.own).toBe(200);
});
