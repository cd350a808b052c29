// Fused-kernel self-test page: starts the kernel-check worker and shows (and exposes to Playwright) what it reports.
import type { KernelSelftestMessage } from './kernel-selftest.worker';

declare global {
  interface Window {
    kernelSelftest?: KernelSelftestMessage;
  }
}

const status = document.getElementById('status')!;
const result = document.getElementById('result')!;
const worker = new Worker(new URL('./kernel-selftest.worker.ts', import.meta.url), { type: 'module' });
const only = new URLSearchParams(location.search).get('only');
worker.postMessage({ only: only ? only.split(',') : null });
worker.onmessage = (event: MessageEvent<KernelSelftestMessage>) => {
  const message = event.data;
  if (message.kind === 'progress') {
    status.textContent = message.text;
    return;
  }
  window.kernelSelftest = message;
  status.textContent = message.kind === 'done' ? 'done' : 'failed';
  result.textContent = JSON.stringify(message, null, 2);
};
worker.onerror = (event) => {
  window.kernelSelftest = { kind: 'error', message: event.message };
  status.textContent = 'failed';
};
