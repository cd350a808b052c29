// One chat completion from a web-llm engine, with the port's sampling settings, a seed, a timeout and cancellation.
import type { ChatCompletion, ChatCompletionFinishReason, ChatCompletionRequestNonStreaming } from '@mlc-ai/web-llm';
import { JobCancelledError, WebLlmOutputError } from '../../errors';
import type { ProducerId } from '../port';
import { webLlmErrorOf } from './map-error';

/**
 * What the teacher and judge need of an engine, in web-llm's own request and reply types: any `MLCEngineInterface`
 * (`MLCEngine`, `WebWorkerMLCEngine`, a test's stand-in) is one, and so is the page's client of TuneLab's web-llm worker.
 */
export interface ChatEngine {
  chat: { completions: { create(request: ChatCompletionRequestNonStreaming): Promise<ChatCompletion> } };
  interruptGenerate(): void;
}

/**
 * A web-llm model that gave no answer within its time (it is interrupted); an output error, so the ceiling counts it
 * unanswered. Defined here, not in engine/errors.ts, to keep it out of the page's first view; its name is set by hand
 * (class names do not survive minification, and it is not in the worker-boundary registry: it is raised and shown on
 * the page, or caught in web-llm's worker).
 */
export class WebLlmTimeoutError extends WebLlmOutputError {
  override name = 'WebLlmTimeoutError';
}

export interface AskResult {
  text: string;
  finishReason: ChatCompletionFinishReason;
  /** Tokens generated, as web-llm's usage reports them (absent when it reports none). */
  tokens?: number;
}

/** Seconds a single completion may take before it is interrupted and reported (a stuck or very slow model). */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** A short form of a prompt for messages: its start, on one line. */
export function promptLabel(prompt: string): string {
  const line = prompt.replace(/\s+/g, ' ').trim();
  return `"${line.length > 60 ? `${line.slice(0, 60)}…` : line}"`;
}

/** The web-llm request for one user message under `producer`'s settings (a Qwen3 model's thinking is switched off: answers only). */
export function requestOf(content: string, producer: ProducerId, seed: number): ChatCompletionRequestNonStreaming {
  const { temperature = 0, topP } = producer.sampling;
  return {
    messages: [{ role: 'user', content }],
    stream: false,
    // web-llm samples greedily at temperature 0; top_p 1 keeps every token.
    temperature,
    top_p: topP ?? 1,
    max_tokens: producer.sampling.maxNewTokens,
    seed,
    extra_body: { enable_thinking: false },
  };
}

/**
 * Asks once. Times out after `timeoutMs` (the engine is interrupted), stops on `signal`; web-llm's own failures become
 * TuneLab's named errors. `index` names the prompt in every message.
 */
export async function ask(
  engine: ChatEngine,
  request: ChatCompletionRequestNonStreaming,
  { producer, prompt, index, signal, timeoutMs = DEFAULT_TIMEOUT_MS }: { producer: ProducerId; prompt: string; index: number; signal?: AbortSignal; timeoutMs?: number },
): Promise<AskResult> {
  if (signal?.aborted) throw new JobCancelledError('Stopped before the next prompt.');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      engine.interruptGenerate();
      reject(new WebLlmTimeoutError(`${producer.model} gave no answer to prompt ${index + 1} ${promptLabel(prompt)} within ${Math.round(timeoutMs / 1000)} s.`, 'Lower the max tokens, use a smaller model, or try again: a busy GPU (training in another tab) slows it down.'));
    }, timeoutMs);
    onAbort = () => {
      engine.interruptGenerate();
      reject(new JobCancelledError('Stopped by you.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const reply = await Promise.race([engine.chat.completions.create(request), stopped]).catch((e: unknown) => {
      throw webLlmErrorOf(e, { modelId: producer.model, phase: 'generate' });
    });
    const choice = reply.choices[0];
    const tokens = reply.usage?.completion_tokens;
    return { text: choice?.message.content ?? '', finishReason: choice?.finish_reason ?? 'stop', ...(typeof tokens === 'number' ? { tokens } : {}) };
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
