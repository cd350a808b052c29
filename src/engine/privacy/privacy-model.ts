// The model handle leakage measurements take: batched teacher-forced sums and next-token log-probs, and greedy decoding.
import { pickLogSoftmax } from '../backend/ops';
import { tf } from '../backend/tf';
import { JobCancelledError, ShapeMismatchError } from '../errors';
import { agreementBatches } from '../eval/eval-model';
import { generate } from '../generate/generate';
import type { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import { KvCache } from '../models/kv-cache';

export interface ScoredRows {
  /** Per row: Σ log p(ids[t] | ids[<t]) over t in [from, length), in float64. */
  sums: Float64Array;
  /** Tokens summed per row (length − from). */
  counts: Int32Array;
  /** With withNext: row-major [rows, vocab] log-softmax of the token after each row's last id; else empty. */
  next: Float32Array;
  vocab: number;
}

/** Rows of a prefix tree with their key/value cache: the sequences fed so far, held on the model's device. */
export interface PrefixRows {
  readonly rows: number;
  dispose(): void;
}

/** The tree rows after a step: per row, Σ log p of its new tokens after the first, and the log-softmax after its last. */
export interface PrefixStep {
  state: PrefixRows;
  sums: Float64Array;
  /** Row-major [rows, vocab]; empty when the step was asked to pick (then `picked` holds what was asked for). */
  next: Float32Array;
  vocab: number;
  /** With `pick`: row-major [rows, pick.length], the log-softmax after each row's last id at the picked ids only. */
  picked?: Float32Array;
}

/** What exposure, extraction and membership inference need of a model: the engine's below, or a test double. */
export interface PrivacyModel {
  scoreRows(sequences: number[][], from: number[], withNext: boolean, signal?: AbortSignal): Promise<ScoredRows>;
  /**
   * Optional shared-prefix scoring: `parents` null starts one row from `tokens[0]` (the prefix); otherwise row i is
   * parent row parents[i] (of `from`) extended by tokens[i] (all the same length), fed with the parent's cache.
   * With `pick` the next-token log-probs are read back only at those ids (`picked`), not the whole vocabulary;
   * an implementation may ignore it and return `next` in full.
   */
  extendPrefix?(from: PrefixRows | null, parents: Int32Array | null, tokens: number[][], pick?: readonly number[]): Promise<PrefixStep>;
  /** Greedy continuation of the prompt: exactly maxNew ids, no stop token. */
  generateGreedy(promptIds: number[], maxNew: number): Promise<number[]>;
}

interface CachedRows extends PrefixRows {
  cache: KvCache;
}

function cancelled(): JobCancelledError {
  return new JobCancelledError('The privacy measurement was cancelled.', 'Start it again when ready.');
}

/**
 * The engine model as a PrivacyModel. `lora` null runs the base weights alone: with a LoRA run this is the
 * "adapter switched off" reference of the calibrated membership attack, at no second model's cost.
 */
export function privacyModelOf(model: CausalLM, lora: LoraAdapter | null): PrivacyModel {
  return {
    async scoreRows(sequences, from, withNext, signal) {
      const n = sequences.length;
      const V = model.dims.vocabSize;
      const sums = new Float64Array(n);
      const counts = new Int32Array(n);
      const next = new Float32Array(withNext ? n * V : 0);
      const tooLong = sequences.find((s) => s.length > model.dims.maxPositions);
      if (tooLong) throw new ShapeMismatchError(`A sequence of ${tooLong.length} tokens exceeds the model's context of ${model.dims.maxPositions}.`, 'Use a shorter canary or record.');
      const lengths = sequences.map((s) => s.length);
      for (const batch of agreementBatches(lengths, V)) {
        if (signal?.aborted) throw cancelled();
        const B = batch.length;
        const W = lengths[batch[0]];
        const ids = new Int32Array(B * W); // right-padded with id 0: causal attention never looks right
        const targets = new Int32Array(B * W);
        const last = new Int32Array(B);
        batch.forEach((b, row) => {
          const seq = sequences[b];
          ids.set(seq, row * W);
          targets.set(seq.slice(1), row * W);
          last[row] = row * W + seq.length - 1;
        });
        const [lpT, nextT] = tf.tidy(() => {
          const logp = tf.logSoftmax(model.forward(tf.tensor2d(ids, [B, W], 'int32'), { lora })); // [B, W, V]
          const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor2d(targets, [B, W], 'int32'), V)), 2); // [B, W]: position t scores ids[t+1]
          const nextRows = withNext ? tf.gather(tf.reshape(logp, [B * W, V]), tf.tensor1d(last, 'int32')) : tf.zeros([0]); // [B, V]
          return [picked, nextRows];
        });
        const lp = (await lpT.data()) as Float32Array;
        const nx = (await nextT.data()) as Float32Array;
        lpT.dispose();
        nextT.dispose();
        batch.forEach((b, row) => {
          const len = sequences[b].length;
          let s = 0;
          for (let t = Math.max(1, from[b]); t < len; t++) s += lp[row * W + t - 1];
          sums[b] = s;
          counts[b] = Math.max(0, len - Math.max(1, from[b]));
          if (withNext) next.set(nx.subarray(row * V, (row + 1) * V), b * V);
        });
      }
      return { sums, counts, next, vocab: V };
    },
    async extendPrefix(from, parents, tokens, pick) {
      const B = tokens.length;
      const T = tokens[0].length;
      const V = model.dims.vocabSize;
      let cache: KvCache;
      if (from === null) cache = new KvCache(model.dims.layers);
      else cache = (from as CachedRows).cache.gatherRows(parents ?? new Int32Array(0));
      const ids = new Int32Array(B * T);
      tokens.forEach((t, r) => ids.set(t, r * T));
      const [picked, nextT] = tf.tidy(() => {
        const logits = model.forward(tf.tensor2d(ids, [B, T], 'int32'), { lora, cache }); // [B, T, V]
        const lastLogits = T === 1 ? tf.reshape(logits, [B, V]) : tf.reshape(tf.slice(logits, [0, T - 1, 0], [B, 1, V]), [B, V]); // [B, V]
        // Only the picked ids' log-probs leave the GPU: [B, pick.length] instead of [B, V] (one dispatch on WebGPU).
        const nextRows = pick ? pickLogSoftmax(lastLogits, tf.tensor1d(Int32Array.from(pick), 'int32')) : tf.logSoftmax(lastLogits);
        if (T === 1) return [tf.zeros([B, 1]), nextRows];
        const logp = tf.logSoftmax(tf.slice(logits, [0, 0, 0], [B, T - 1, V])); // [B, T-1, V]
        const targets = tf.oneHot(tf.slice(tf.tensor2d(ids, [B, T], 'int32'), [0, 1], [B, T - 1]), V); // [B, T-1, V]
        return [tf.sum(tf.mul(logp, targets), 2), nextRows]; // [B, T-1], [B, V or pick]
      });
      const lp = T > 1 ? ((await picked.data()) as Float32Array) : null;
      const next = (await nextT.data()) as Float32Array;
      picked.dispose();
      nextT.dispose();
      const sums = new Float64Array(B);
      if (lp) for (let r = 0; r < B; r++) for (let t = 0; t < T - 1; t++) sums[r] += lp[r * (T - 1) + t];
      if (from === null) {
        // The prefix is held once for all rows branched off it: each tree node then caches only its own tokens (every
        // family: GPT-2's learned positions, and the rotary families' keys rotated at their positions before caching).
        const shared = cache.sharePrefix(model.dims.heads);
        cache.dispose();
        cache = shared;
      }
      const state: CachedRows = { rows: B, cache, dispose: () => cache.dispose() };
      return pick ? { state, sums, next: new Float32Array(0), vocab: V, picked: next } : { state, sums, next, vocab: V };
    },
    async generateGreedy(promptIds, maxNew) {
      const result = await generate(model, promptIds, { maxNewTokens: maxNew, stopTokenIds: [], lora });
      return result.ids;
    },
  };
}
