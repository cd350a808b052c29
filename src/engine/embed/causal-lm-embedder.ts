// A causal LM as an Embedder: mean or last-real-token pooling over CausalLM.hidden(), optional L2 normalisation.
import { tf, type Tensor } from '../backend/tf';
import type { Variable } from '../backend/tf';
import type { CausalLM } from '../models/causal-lm';
import type { LinearModuleSpec } from '../models/params';
import type { LoraBranches } from '../models/forward-context';
import type { Tokenizer } from '../tokenizers/tokenizer';
import type { EmbedBatch, Embedder } from './embedder';
import { l2Normalize } from './ranking-loss';

export interface CausalLmEmbedderOptions {
  /** 'mean' over real tokens or 'last' real token (decoder embedding models); 'cls' is not a causal LM's. */
  pooling?: 'mean' | 'last';
  normalize?: boolean;
  maxLength?: number;
}

export class CausalLmEmbedder implements Embedder {
  readonly kind = 'causal-lm' as const;
  readonly pooling: 'mean' | 'last';
  readonly normalize: boolean;
  readonly dimension: number;
  readonly maxLength: number;

  constructor(
    readonly model: CausalLM,
    readonly tokenizer: Tokenizer,
    options: CausalLmEmbedderOptions = {},
  ) {
    this.pooling = options.pooling ?? 'mean';
    this.normalize = options.normalize ?? true;
    this.dimension = model.dims.hidden;
    this.maxLength = Math.min(options.maxLength ?? model.dims.maxPositions, model.dims.maxPositions);
  }

  /** The model's linear modules (LoRA targets) and weights (full fine-tuning): a TrainableEmbedder. */
  get linearModules(): LinearModuleSpec[] {
    return this.model.linearModules;
  }

  namedVariables(): [string, Variable][] {
    return this.model.namedVariables();
  }

  /** Right-padded ids [B, T] (T = the longest text, cut to maxLength), BOS first when the tokenizer adds one. */
  tokenize(texts: readonly string[], maxLength = this.maxLength): EmbedBatch {
    const limit = Math.min(maxLength, this.maxLength);
    const bos = this.tokenizer.addBosToken && this.tokenizer.bosId !== undefined ? [this.tokenizer.bosId] : [];
    const rows = texts.map((t) => [...bos, ...this.tokenizer.encode(t)].slice(0, limit));
    const T = Math.max(1, ...rows.map((r) => r.length));
    const pad = this.tokenizer.padId ?? 0;
    const ids = new Int32Array(texts.length * T).fill(pad);
    const mask = new Int32Array(texts.length * T);
    rows.forEach((r, b) => {
      ids.set(r, b * T);
      mask.fill(1, b * T, b * T + r.length);
    });
    return { ids: tf.tensor2d(ids, [texts.length, T], 'int32'), mask: tf.tensor2d(mask, [texts.length, T], 'int32') };
  }

  /**
   * [B, T] → [B, H]. Right padding needs no key mask in a causal model (a real token never attends to a later pad);
   * the mask only chooses which positions are pooled. A text with no tokens pools to zeros.
   */
  embed(batch: EmbedBatch, lora: LoraBranches | null = null): Tensor {
    return tf.tidy(() => {
      const [B, T] = batch.ids.shape as [number, number];
      const hidden = tf.reshape(this.model.hidden(batch.ids, { lora }), [B, T, this.dimension]); // [B, T, H]
      const mask = tf.cast(batch.mask, 'float32'); // [B, T]
      let weights: Tensor; // [B, T], each row sums to 1 (or 0 for an empty text)
      if (this.pooling === 'mean') {
        weights = tf.div(mask, tf.maximum(tf.sum(mask, 1, true), 1));
      } else {
        const lengths = tf.cast(tf.sum(batch.mask, 1), 'int32'); // [B]
        const last = tf.maximum(tf.sub(lengths, tf.scalar(1, 'int32')), tf.scalar(0, 'int32')); // [B] index of the last real token
        weights = tf.mul(tf.oneHot(last, T), tf.expandDims(tf.cast(tf.greater(lengths, 0), 'float32'), 1));
      }
      const pooled = tf.squeeze(tf.matMul(tf.expandDims(weights, 1), hidden), [1]); // [B, 1, T] × [B, T, H] → [B, H]
      return this.normalize ? l2Normalize(pooled) : pooled;
    });
  }
}
