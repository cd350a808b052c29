// The model handle leakage measurements take: batched teacher-forced sums and next-token log-probs, and greedy decoding.
import { tf } from '../backend/tf';
import { JobCancelledError, ShapeMismatchError } from '../errors';
import { agreementBatches } from '../eval/eval-model';
import { generate } from '../generate/generate';
import type { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';

export interface ScoredRows {
  /** Per row: Σ log p(ids[t] | ids[<t]) over t in [from, length), in float64. */
  sums: Float64Array;
  /** Tokens summed per row (length − from). */
  counts: Int32Array;
  /** With withNext: row-major [rows, vocab] log-softmax of the token after each row's last id; else empty. */
  next: Float32Array;
  vocab: number;
}

/** What exposure, extraction and membership inference need of a model: the engine's below, or a test double. */
export interface PrivacyModel {
  scoreRows(sequences: number[][], from: number[], withNext: boolean, signal?: AbortSignal): Promise<ScoredRows>;
  /** Greedy continuation of the prompt: exactly maxNew ids, no stop token. */
  generateGreedy(promptIds: number[], maxNew: number): Promise<number[]>;
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
    async generateGreedy(promptIds, maxNew) {
      const result = await generate(model, promptIds, { maxNewTokens: maxNew, stopTokenIds: [], lora });
      return result.ids;
    },
  };
}
