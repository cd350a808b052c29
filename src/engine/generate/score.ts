// Teacher-forced per-token scores of given sequences (prompt log-likelihoods, multiple choice, perplexity, membership).
import { tf } from '../backend/tf';
import { targetLogProbs } from '../backend/ops';
import { ShapeMismatchError } from '../errors';
import type { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';

export interface TokenScores {
  /** logprobs[t] = log p(ids[t] | ids[<t]) for t ≥ 1; index 0 is unused and 0. */
  logprobs: Float32Array;
  /** argmax[t] = the most likely token at position t given ids[<t], for t ≥ 1; index 0 is unused and 0. */
  argmax: Int32Array;
}

/** Scores many sequences in one right-padded batch, which a causal model scores exactly as one by one. */
export async function scoreBatch(model: CausalLM, sequences: ArrayLike<number>[], lora?: LoraAdapter | null): Promise<TokenScores[]> {
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
  const [logprobTensor, argmaxTensor] = tf.tidy(() => {
    const logits = tf.reshape(model.forward(tf.tensor2d(inputs, [B, T], 'int32'), { lora }), [B * T, model.dims.vocabSize]); // [B·T, V]
    return [targetLogProbs(logits, tf.tensor1d(targets, 'int32')), tf.argMax(logits, 1)]; // [B·T] each
  });
  const [logprobs, argmax] = await Promise.all([logprobTensor.data(), argmaxTensor.data()]);
  logprobTensor.dispose();
  argmaxTensor.dispose();
  return sequences.map((s, b) => {
    const n = Math.max(0, s.length - 1);
    const out = { logprobs: new Float32Array(s.length), argmax: new Int32Array(s.length) };
    out.logprobs.set(logprobs.subarray(b * T, b * T + n), 1);
    out.argmax.set(argmax.subarray(b * T, b * T + n), 1);
    return out;
  });
}

export async function scoreTokens(model: CausalLM, ids: ArrayLike<number>, lora?: LoraAdapter | null): Promise<TokenScores> {
  return (await scoreBatch(model, [ids], lora))[0];
}
