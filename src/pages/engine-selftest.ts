// Engine self-test page: starts the golden-check worker and shows (and exposes to Playwright) what it reports.
import type { SelftestMessage } from './engine-selftest.worker';

declare global {
  interface Window {
    engineSelftest?: SelftestMessage;
  }
}

const status = document.getElementById('status')!;
const result = document.getElementById('result')!;
const worker = new Worker(new URL('./engine-selftest.worker.ts', import.meta.url), { type: 'module' });
const params = new URLSearchParams(location.search);
worker.postMessage({ backend: params.get('backend') ?? 'webgpu', only: params.get('only') });
worker.onmessage = (event: MessageEvent<SelftestMessage>) => {
  const message = event.data;
  if (message.kind === 'progress') {
    status.textContent = message.text;
    return;
  }
  window.engineSelftest = message;
  status.textContent = message.kind === 'done' ? 'done' : 'failed';
  result.textContent = JSON.stringify(message, null, 2);
};
worker.onerror = (event) => {
  window.engineSelftest = { kind: 'error', message: event.message };
  status.textContent = 'failed';
};
