// Fused-kernel self-test page: starts the kernel-check worker and shows (and exposes to Playwright as window.kernelSelftest) what it reports.
import { runSelftestPage } from './selftest-harness';
import type { KernelSelftestMessage } from './kernel-selftest.worker';

const only = new URLSearchParams(location.search).get('only');
runSelftestPage<KernelSelftestMessage>(
  new Worker(new URL('./kernel-selftest.worker.ts', import.meta.url), { type: 'module' }),
  { only: only ? only.split(',') : null },
  'kernelSelftest',
);
