// Adapts the engine's CausalLM (+ optional LoRA) and Tokenizer to the eval harness's small model interface.

import { tf } from '../backend/tf';
import { generate } from '../generate/generate';
import type { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import type { Tokenizer } from '../tokenizers/tokenizer';
import type { EvalModel, EvalTokenizer, TokenScores } from './types';

export function evalModelOf(model: CausalLM, lora: LoraAdapter | null = null): EvalModel {
  return {
    async generateGreedy(promptIds, maxNew, stopId) {
      // Keep prompt + answer inside the context: longer prompts are cut from the left (few-shot prefixes first) so
      // that maxNew answer tokens still fit (scripts/pretrain/score.py few_shot_prompt cuts the same way).
      const room = Math.max(1, model.dims.maxPositions - maxNew);
      const prompt = promptIds.length > room ? promptIds.slice(promptIds.length - room) : promptIds;
      const result = await generate(model, prompt, { maxNewTokens: maxNew, stopTokenIds: [stopId], lora });
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
  };
}

/** The engine Tokenizer as the harness's: plain encode (no added specials) and raw decode. */
export function evalTokenizerOf(tokenizer: Tokenizer): EvalTokenizer {
  return { encode: (text) => tokenizer.encode(text), decode: (ids) => tokenizer.decode(ids) };
}
