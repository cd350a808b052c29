// Starts TuneLab's web-llm worker (lazily: web-llm lives in that worker's chunk only) and gives the page a ChatEngine over it.
import * as Comlink from 'comlink';
import type { ChatCompletion, ChatCompletionRequestNonStreaming, InitProgressReport } from '@mlc-ai/web-llm';
import type { WebLlmWorkerApi } from '../../workers/webllm.worker';
import type { ChatEngine } from '../engine/teacher/web-llm/ask';
import { installErrorTransfer } from '../../workers/error-transfer';
import { WebLlmLoadError } from '../engine/errors';
import workerUrl from '../../workers/webllm.worker.ts?worker&url';
import { startPolicedWorker } from './policed-worker';

export interface WebLlmSession {
  api: Comlink.Remote<WebLlmWorkerApi>;
  /** The loaded model as the Teacher's and Judge's engine: each completion runs in the worker. */
  engine: ChatEngine;
  /** Downloads and compiles a model in the worker, reporting web-llm's progress. */
  load(modelId: string, onProgress: (report: InitProgressReport) => void): Promise<void>;
  /** Ends the worker at once: stops a download or a generation mid-way and frees its GPU memory. */
  terminate(): void;
  /** Whether the worker itself failed (its script, or web-llm, did not load): it answers nothing more. */
  broken(): boolean;
}

/** A fresh web-llm worker. Starting it fetches nothing beyond the app's own worker script (from the service worker's runtime cache once fetched). */
export function startWebLlmWorker(): WebLlmSession {
  installErrorTransfer();
  // Under the page's CSP (started from a blob: URL), so index.html's connect-src governs every web-llm download.
  const policed = startPolicedWorker(workerUrl, 'tunelab-webllm');
  const worker = policed.worker;
  const api = Comlink.wrap<WebLlmWorkerApi>(worker);
  // A worker that fails to start (its script missing, an error while loading web-llm) answers no call: fail the load instead of waiting forever.
  let failed = false;
  const crashed = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (event) => {
      failed = true;
      reject(new WebLlmLoadError(`web-llm's worker failed to start${event.message ? ` (${event.message})` : ''}.`, 'Reload the page and try again; TuneLab itself keeps working.'));
    }),
  );
  crashed.catch(() => {});
  const engine: ChatEngine = {
    chat: { completions: { create: (request: ChatCompletionRequestNonStreaming): Promise<ChatCompletion> => api.chat(request) } },
    interruptGenerate: () => void api.interrupt(),
  };
  return {
    api,
    engine,
    load: (modelId, onProgress) => Promise.race([api.load(modelId, Comlink.proxy(onProgress)), crashed]),
    terminate: () => {
      api[Comlink.releaseProxy]();
      policed.dispose();
    },
    broken: () => failed,
  };
}
