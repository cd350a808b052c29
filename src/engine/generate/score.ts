// Per-token log-probabilities of given sequences (prompt log-likelihoods for multiple choice, perplexity, membership tests).
import { targetLogProbs } from '../backend/ops';
import { tf } from '../backend/tf';
import { ShapeMismatchError } from '../errors';
import type { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';

/**
 * For each sequence, out[t] = log p(ids[t] | ids[<t]) for t ≥ 1 and out[0] = NaN (nothing predicts the first
 * token). Sequences are right-padded into one batch, which a causal model scores exactly as one by one.
 */
export async function scoreBatch(model: CausalLM, sequences: ArrayLike<number>[], lora?: LoraAdapter | null): Promise<Float32Array[]> {
  if (sequences.length === 0) return [];
  const longest = Math.max(...sequences.map((s) => s.length));
  if (longest > model.dims.maxPositions) throw new ShapeMismatchError(`A sequence has ${longest} tokens; the model's context is ${model.dims.maxPositions}.`, 'Shorten it.');
  const B = sequences.length;
  const T = Math.max(1, longest - 1);
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  sequences.forEach((s, b) => {
    for (let t = 0; t + 1 < s.length; t++) {
      inputs[b * T + t] = s[t];
      targets[b * T + t] = s[t + 1];
    }
  });
  const scored = tf.tidy(() => {
    const logits = model.forward(tf.tensor2d(inputs, [B, T], 'int32'), { lora }); // [B, T, V]
    return targetLogProbs(tf.reshape(logits, [B * T, model.dims.vocabSize]), tf.tensor1d(targets, 'int32')); // [B·T]
  });
  const values = (await scored.data()) as Float32Array;
  scored.dispose();
  return sequences.map((s, b) => {
    const out = new Float32Array(s.length);
    out[0] = NaN;
    out.set(values.subarray(b * T, b * T + Math.max(0, s.length - 1)), 1);
    return out;
  });
}

export async function scoreTokens(model: CausalLM, ids: ArrayLike<number>, lora?: LoraAdapter | null): Promise<Float32Array> {
  return (await scoreBatch(model, [ids], lora))[0];
}
