// Autoregressive generation with a KV cache: streams tokens with log-probabilities, stops on ids, strings or length.
import { tf, type Tensor } from '../backend/tf';
import { JobCancelledError, ShapeMismatchError } from '../errors';
import type { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import { KvCache } from '../models/kv-cache';
import { Rng } from '../rng';
import { logProbOf, sampleToken, type SamplingOptions } from './sample';

export interface GenerateOptions extends SamplingOptions {
  maxNewTokens: number;
  /** Sampling seed (ignored for greedy). */
  seed?: number;
  stopTokenIds?: number[];
  /** Stop when the decoded completion contains one of these; needs `decode`. */
  stopStrings?: string[];
  decode?: (ids: number[]) => string;
  /** Called for every generated token with its log-probability under the model (temperature 1, unfiltered). */
  onToken?: (id: number, logprob: number) => void;
  signal?: AbortSignal;
  lora?: LoraAdapter | null;
  /**
   * Sample only ids below this: the tokenizer's size when the embedding has rows past it (Qwen3's 151,936 rows hold
   * 151,669 tokens), so no id the tokenizer cannot decode comes out. Log-probabilities are then over those ids.
   */
  vocabLimit?: number;
}

export type FinishReason = 'stop_token' | 'stop_string' | 'length' | 'context';

export interface GenerateResult {
  /** Generated ids (the prompt excluded; a matched stop token included). */
  ids: number[];
  logprobs: number[];
  finishReason: FinishReason;
  /** Decoded completion, cut before a matched stop string; present when `decode` was given. */
  text?: string;
}

function cancelled(): JobCancelledError {
  return new JobCancelledError('Generation was cancelled.', '');
}

export async function generate(model: CausalLM, promptIds: ArrayLike<number>, options: GenerateOptions): Promise<GenerateResult> {
  if (promptIds.length === 0) throw new ShapeMismatchError('The prompt has no tokens.', 'Start the prompt with at least one token (e.g. BOS).');
  if (promptIds.length > model.dims.maxPositions) {
    throw new ShapeMismatchError(`The prompt has ${promptIds.length} tokens; the model's context is ${model.dims.maxPositions}.`, 'Shorten the prompt.');
  }
  const rng = new Rng(options.seed ?? 0);
  const cache = new KvCache(model.dims.layers);
  const ids: number[] = [];
  const logprobs: number[] = [];
  const stops = new Set(options.stopTokenIds ?? []);
  let finishReason: FinishReason = 'length';
  let text: string | undefined;
  let input: Tensor | null = null;
  try {
    input = tf.tensor2d(Int32Array.from(promptIds), [1, promptIds.length], 'int32');
    while (ids.length < options.maxNewTokens) {
      if (options.signal?.aborted) throw cancelled();
      const logitsTensor = model.forward(input, { cache, lastOnly: true, lora: options.lora });
      input.dispose();
      input = null;
      const all = (await logitsTensor.data()) as Float32Array; // [V]
      logitsTensor.dispose();
      const logits = options.vocabLimit !== undefined && options.vocabLimit < all.length ? all.subarray(0, options.vocabLimit) : all;
      if (options.signal?.aborted) throw cancelled();
      const id = sampleToken(logits, options, rng);
      const logprob = logProbOf(logits, id);
      ids.push(id);
      logprobs.push(logprob);
      options.onToken?.(id, logprob);
      if (stops.has(id)) {
        finishReason = 'stop_token';
        break;
      }
      if (options.decode && options.stopStrings?.length) {
        const decoded = options.decode(ids);
        const hit = options.stopStrings.map((s) => decoded.indexOf(s)).filter((i) => i >= 0);
        if (hit.length) {
          finishReason = 'stop_string';
          text = decoded.slice(0, Math.min(...hit));
          break;
        }
      }
      if (cache.length >= model.dims.maxPositions) {
        finishReason = 'context';
        break;
      }
      input = tf.tensor2d([id], [1, 1], 'int32');
    }
  } finally {
    input?.dispose();
    cache.dispose();
  }
  if (options.decode && text === undefined) text = options.decode(ids);
  return { ids, logprobs, finishReason, text };
}
