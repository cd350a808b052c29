// The Embedder of any TuneLab causal LM: its final hidden states, mean- or last-token-pooled over the real tokens.
import { tf, type Tensor } from '../backend/tf';
import { ModelConfigError } from '../errors';
import type { CausalLM } from '../models/causal-lm';
import type { LoraBranches } from '../models/forward-context';
import type { Tokenizer } from '../tokenizers/tokenizer';
import type { EmbedBatch, Embedder, Pooling } from './embedder';
import { sentenceEmbedding } from './pooling';
import { encodeTruncated, padBatch } from './tokenize-batch';

export interface CausalLmEmbedderOptions {
  /** 'last' (the last real token, as decoder embedding models pool; default) or 'mean'. */
  pooling?: Pooling;
  /** L2-normalise the vectors (default true). */
  normalize?: boolean;
  /** Append EOS after the text, as decoder embedding models do before last-token pooling (default: with 'last' when the tokenizer has one). */
  appendEos?: boolean;
  /** At most the model's context (default: it). */
  maxLength?: number;
}

export class CausalLmEmbedder implements Embedder {
  readonly kind = 'causal-lm' as const;
  readonly pooling: Pooling;
  readonly normalize: boolean;
  readonly dimension: number;
  readonly maxLength: number;
  private readonly endIds: number[];

  constructor(
    readonly model: CausalLM,
    readonly tokenizer: Tokenizer,
    options: CausalLmEmbedderOptions = {},
  ) {
    this.pooling = options.pooling ?? 'last';
    if (this.pooling === 'cls') throw new ModelConfigError('A causal LM has no [CLS] token: its first token sees only itself.', "Use pooling 'last' or 'mean'.");
    this.normalize = options.normalize ?? true;
    this.dimension = model.dims.hidden;
    this.maxLength = Math.min(options.maxLength ?? model.dims.maxPositions, model.dims.maxPositions);
    const appendEos = options.appendEos ?? (this.pooling === 'last' && tokenizer.eosId !== undefined);
    this.endIds = appendEos && tokenizer.eosId !== undefined ? [tokenizer.eosId] : [];
  }

  /** Texts → ids (BOS when the tokenizer adds one, the text, EOS when appended), cut to maxLength, right-padded. */
  tokenize(texts: readonly string[], maxLength: number = this.maxLength): EmbedBatch {
    const limit = Math.min(maxLength, this.maxLength);
    const rows = texts.map((t) => encodeTruncated(this.tokenizer, t, limit, this.endIds));
    return padBatch(rows, this.tokenizer.padId ?? this.tokenizer.eosId ?? 0);
  }

  /**
   * [B, T] → [B, H]. Right padding needs no key mask in a causal model (a real token never sees a later pad), and the
   * pooling reads only real positions; gradients flow to the model's variables and to `lora`.
   */
  embed(batch: EmbedBatch, lora: LoraBranches | null = null): Tensor {
    const [B, T] = batch.ids.shape as [number, number];
    return tf.tidy(() => {
      const hidden = tf.reshape(this.model.hidden(batch.ids, { lora }), [B, T, this.dimension]); // [B·T, H] → [B, T, H]
      return sentenceEmbedding(hidden, batch.mask, this.pooling, this.normalize);
    });
  }
}
