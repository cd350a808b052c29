// Training-kernels self-test page: starts the check worker and exposes its report to Playwright as window.trainKernelSelftest.
import { runSelftestPage } from './selftest-harness';
import type { KernelSelftestMessage } from './train-kernels-selftest.worker';

runSelftestPage<KernelSelftestMessage>(
  new Worker(new URL('./train-kernels-selftest.worker.ts', import.meta.url), { type: 'module' }),
  { backend: new URLSearchParams(location.search).get('backend') ?? 'webgpu' },
  'trainKernelSelftest',
);
