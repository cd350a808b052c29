// Playwright e2e config: the built app served by `vite preview`, driven in Debian's headless Chromium with WebGPU on.
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';

/** E2E_PORT lets several checkouts run their suites side by side. */
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  timeout: 240_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  // Three spec files at a time: on CI's two cores 85 tests took 12.8 min with one worker and 9.0 min with two; at 93 tests
  // two workers took 12.8 min with the CPUs about half idle, so a third overlaps the waits. Tests within a file stay in
  // order, and no spec races training speed or shares a port or a database. At 97 tests a fourth worker gained nothing
  // (12.6 min on three, 12.7 on four): the two cores are the limit.
  workers: 3,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromiumLaunchOptions(),
    trace: 'retain-on-failure',
    // A click on a control that never appears fails in 30 s with its name, not at the test's own timeout minutes later.
    actionTimeout: 30_000,
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
