// Shared wiring of the self-test pages: start a check worker, show its progress and result, expose the result to Playwright.

/**
 * Sends `request` to `worker`, mirrors its progress into #status, and stores the final message on `window[resultKey]`
 * (where the e2e spec polls for it) and as JSON in #result.
 */
export function runSelftestPage<M extends { kind: string }>(worker: Worker, request: unknown, resultKey: string): void {
  const status = document.getElementById('status')!;
  const result = document.getElementById('result')!;
  const publish = (message: M | { kind: 'error'; message: string }) => Reflect.set(window, resultKey, message);
  worker.onmessage = (event: MessageEvent<M>) => {
    const message = event.data;
    if (message.kind === 'progress') {
      status.textContent = (message as unknown as { text: string }).text;
      return;
    }
    publish(message);
    status.textContent = message.kind === 'done' ? 'done' : 'failed';
    result.textContent = JSON.stringify(message, null, 2);
  };
  worker.onerror = (event) => {
    publish({ kind: 'error', message: event.message });
    status.textContent = 'failed';
  };
  worker.postMessage(request);
}
