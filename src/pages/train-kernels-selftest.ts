// Training-kernels self-test page: starts the check worker and exposes its report to Playwright.
import type { KernelSelftestMessage } from './train-kernels-selftest.worker';

declare global {
  interface Window {
    trainKernelSelftest?: KernelSelftestMessage;
  }
}

const status = document.getElementById('status')!;
const result = document.getElementById('result')!;
const worker = new Worker(new URL('./train-kernels-selftest.worker.ts', import.meta.url), { type: 'module' });
worker.postMessage({ backend: new URLSearchParams(location.search).get('backend') ?? 'webgpu' });
worker.onmessage = (event: MessageEvent<KernelSelftestMessage>) => {
  const message = event.data;
  if (message.kind === 'progress') {
    status.textContent = message.text;
    return;
  }
  window.trainKernelSelftest = message;
  status.textContent = message.kind === 'done' ? 'done' : 'failed';
  result.textContent = JSON.stringify(message, null, 2);
};
worker.onerror = (event) => {
  window.trainKernelSelftest = { kind: 'error', message: event.message };
  status.textContent = 'failed';
};
