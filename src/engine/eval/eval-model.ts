// Adapts the engine's CausalLM (+ optional LoRA) and Tokenizer to the eval harness's small model interface.

import { tf } from '../backend/tf';
import { JobCancelledError, ShapeMismatchError } from '../errors';
import { generate } from '../generate/generate';
import type { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import type { Tokenizer } from '../tokenizers/tokenizer';
import type { Agreement, AgreementItem, EvalModel, EvalTokenizer, TokenScores } from './types';

/** Upper bounds of one teacher-forced batch: padded tokens, and logit elements (tokens × vocabulary). */
export const AGREEMENT_BATCH_TOKENS = 4096;
export const AGREEMENT_BATCH_LOGITS = 1 << 24;

/** Groups item indices (longest first) into right-padded batches within the token and logit bounds. */
export function agreementBatches(lengths: number[], vocab: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    const width = current.length ? lengths[current[0]] : lengths[i]; // the first (longest) item sets the padded width
    const tokens = (current.length + 1) * width;
    if (current.length && (tokens > AGREEMENT_BATCH_TOKENS || tokens * vocab > AGREEMENT_BATCH_LOGITS)) {
      batches.push(current);
      current = [];
    }
    current.push(i);
  }
  if (current.length) batches.push(current);
  return batches;
}

/**
 * The prompt greedy decoding conditions on: prompt + answer must fit the context, so a longer prompt is cut from the
 * left (few-shot prefixes first) to leave maxNew answer tokens (scripts/pretrain/score.py few_shot_prompt cuts the
 * same way). The teacher-forced check uses the same cut, or its verdicts would be about another prompt.
 */
export function greedyPromptIds(promptIds: number[], maxNew: number, maxPositions: number): number[] {
  const room = Math.max(1, maxPositions - maxNew);
  return promptIds.length > room ? promptIds.slice(promptIds.length - room) : promptIds;
}

/**
 * Feeds every item's prompt + continuation (without its last id) through the model in right-padded batches (causal
 * attention never looks right, so padding changes no real position) and compares the argmax at each continuation
 * position with the continuation's id.
 */
async function greedyAgreement(model: CausalLM, lora: LoraAdapter | null, items: AgreementItem[], signal?: AbortSignal): Promise<(Agreement | null)[]> {
  const maxPositions = model.dims.maxPositions;
  const result: (Agreement | null)[] = items.map(() => null);
  // The prompt greedy decoding would see (cut exactly as generateGreedy cuts it); the answer must fit behind it.
  const fits = items
    .map((item, i) => ({ it: { ...item, promptIds: greedyPromptIds(item.promptIds, item.maxNew, maxPositions) }, i }))
    .filter(({ it }) => it.promptIds.length > 0 && it.promptIds.length < maxPositions && it.promptIds.length + it.continuation.length - 1 <= maxPositions);
  const lengths = fits.map(({ it }) => it.promptIds.length + it.continuation.length - 1);
  for (const batch of agreementBatches(lengths, model.dims.vocabSize)) {
    if (signal?.aborted) throw new JobCancelledError('Evaluation was cancelled.', 'Start it again when ready.');
    const width = lengths[batch[0]];
    const ids = new Int32Array(batch.length * width); // pad id 0: any id works to the right of a causal sequence
    batch.forEach((b, row) => ids.set([...fits[b].it.promptIds, ...fits[b].it.continuation.slice(0, -1)], row * width));
    const argmaxT = tf.tidy(() => tf.argMax(model.forward(tf.tensor2d(ids, [batch.length, width], 'int32'), { lora }), 2)); // [B, width]
    const argmax = (await argmaxT.data()) as Int32Array;
    argmaxT.dispose();
    batch.forEach((b, row) => {
      const { it, i } = fits[b];
      const from = row * width + it.promptIds.length - 1; // position p-1 predicts continuation[0]
      let matched = 0;
      while (matched < it.continuation.length && argmax[from + matched] === it.continuation[matched]) matched++;
      result[i] = { matched, miss: matched < it.continuation.length ? argmax[from + matched] : -1 };
    });
  }
  return result;
}

/** Teacher-forced logprobs and argmax of many sequences in right-padded batches (each as scoreTokens would give it). */
async function scoreTokensBatch(model: CausalLM, lora: LoraAdapter | null, sequences: number[][], signal?: AbortSignal): Promise<TokenScores[]> {
  const out: TokenScores[] = sequences.map((ids) => ({ logprobs: new Float64Array(ids.length), argmax: new Int32Array(ids.length) }));
  const todo = sequences.map((ids, i) => ({ ids, i })).filter(({ ids }) => ids.length >= 2);
  const tooLong = todo.find(({ ids }) => ids.length > model.dims.maxPositions);
  if (tooLong) throw new ShapeMismatchError(`Sequence of ${tooLong.ids.length} tokens exceeds the model's context of ${model.dims.maxPositions}.`, 'Shorten the input or lower max tokens.');
  const lengths = todo.map(({ ids }) => ids.length);
  for (const batch of agreementBatches(lengths, model.dims.vocabSize)) {
    if (signal?.aborted) throw new JobCancelledError('Evaluation was cancelled.', 'Start it again when ready.');
    const width = lengths[batch[0]];
    const B = batch.length;
    const ids = new Int32Array(B * width);
    const next = new Int32Array(B * (width - 1)); // ids shifted left: position t predicts next[t]
    batch.forEach((b, row) => {
      const seq = todo[b].ids;
      ids.set(seq, row * width);
      next.set(seq.slice(1), row * (width - 1));
    });
    const [logprobsT, argmaxT] = tf.tidy(() => {
      const logits = model.forward(tf.tensor2d(ids, [B, width], 'int32'), { lora }); // [B, W, V]
      const V = logits.shape[2] as number;
      const logp = tf.logSoftmax(tf.slice(logits, [0, 0, 0], [B, width - 1, V])); // [B, W-1, V]
      const targets = tf.oneHot(tf.tensor2d(next, [B, width - 1], 'int32'), V); // [B, W-1, V]
      return [tf.sum(tf.mul(logp, targets), 2), tf.argMax(logp, 2)]; // [B, W-1], [B, W-1]
    });
    const lp = (await logprobsT.data()) as Float32Array;
    const am = (await argmaxT.data()) as Int32Array;
    logprobsT.dispose();
    argmaxT.dispose();
    batch.forEach((b, row) => {
      const { ids: seq, i } = todo[b];
      const n = seq.length - 1;
      (out[i].logprobs as Float64Array).set(lp.subarray(row * (width - 1), row * (width - 1) + n), 1);
      (out[i].argmax as Int32Array).set(am.subarray(row * (width - 1), row * (width - 1) + n), 1);
    });
  }
  return out;
}

export function evalModelOf(model: CausalLM, lora: LoraAdapter | null = null): EvalModel {
  return {
    async generateGreedy(promptIds, maxNew, stopId, vocabLimit) {
      const prompt = greedyPromptIds(promptIds, maxNew, model.dims.maxPositions);
      const result = await generate(model, prompt, { maxNewTokens: maxNew, stopTokenIds: [stopId], lora, vocabLimit });
      return result.finishReason === 'stop_token' ? result.ids.slice(0, -1) : result.ids;
    },
    async scoreTokens(ids): Promise<TokenScores> {
      const T = ids.length;
      if (T < 2) return { logprobs: new Float64Array(T), argmax: new Int32Array(T) };
      const [logprobsT, argmaxT] = tf.tidy(() => {
        const logits = tf.reshape(model.forward(tf.tensor2d(Int32Array.from(ids), [1, T], 'int32'), { lora }), [T, -1]); // [T, V]
        const logp = tf.logSoftmax(logits); // [T, V]
        const prev = tf.slice(logp, [0, 0], [T - 1, -1]); // position t-1 predicts ids[t]
        const targets = tf.oneHot(tf.tensor1d(Int32Array.from(ids.slice(1)), 'int32'), logits.shape[1] as number); // [T-1, V]
        return [tf.sum(tf.mul(prev, targets), 1), tf.argMax(prev, 1)]; // [T-1], [T-1]
      });
      const lp = (await logprobsT.data()) as Float32Array;
      const am = (await argmaxT.data()) as Int32Array;
      logprobsT.dispose();
      argmaxT.dispose();
      const logprobs = new Float64Array(T);
      const argmax = new Int32Array(T);
      logprobs.set(lp, 1);
      argmax.set(am, 1);
      return { logprobs, argmax };
    },
    greedyAgreement: (items, signal) => greedyAgreement(model, lora, items, signal),
    scoreTokensBatch: (sequences, signal) => scoreTokensBatch(model, lora, sequences, signal),
  };
}

/** The engine Tokenizer as the harness's: plain encode (no added specials) and raw decode. */
export function evalTokenizerOf(tokenizer: Tokenizer): EvalTokenizer {
  // The character tokenizer decodes id by id (CharTokenizer.decode appends each token's text).
  return { encode: (text) => tokenizer.encode(text), decode: (ids) => tokenizer.decode(ids), decodeConcatenates: tokenizer.kind === 'char', vocabSize: tokenizer.vocabSize };
}
