// Engine self-test page: starts the golden-check worker and shows (and exposes to Playwright as window.engineSelftest) what it reports.
import { runSelftestPage } from './selftest-harness';
import type { SelftestMessage } from './engine-selftest.worker';

const params = new URLSearchParams(location.search);
runSelftestPage<SelftestMessage>(
  new Worker(new URL('./engine-selftest.worker.ts', import.meta.url), { type: 'module' }),
  { backend: params.get('backend') ?? 'webgpu', only: params.get('only') },
  'engineSelftest',
);
