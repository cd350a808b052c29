// The Embedder port: texts → one vector each, differentiable under LoRA; an encoder (BERT) or a causal LM with pooling plays it.
import type { Tensor } from '../backend/tf';
import type { LoraBranches } from '../models/forward-context';

/** How token states become one vector: sentence-transformers' pooling modes, and last-token for decoder embedders. */
export type Pooling = 'mean' | 'cls' | 'last';

/** A batch of texts as ids, right-padded: ids and mask are [B, T] int32, mask 1 on real tokens and 0 on padding. */
export interface EmbedBatch {
  ids: Tensor;
  mask: Tensor;
}

export interface Embedder {
  /** 'bert' for BertModel encoders (sentence-transformers), 'causal-lm' for any TuneLab causal model used as an embedder. */
  readonly kind: 'bert' | 'causal-lm';
  readonly pooling: Pooling;
  /** L2-normalise the pooled vector (sentence-transformers' Normalize module). */
  readonly normalize: boolean;
  /** Embedding width H. */
  readonly dimension: number;
  /** Longest sequence the model takes; longer texts are cut to it by `tokenize`. */
  readonly maxLength: number;
  /** Texts → padded ids and mask (special tokens added as the model's tokenizer does). */
  tokenize(texts: readonly string[], maxLength?: number): EmbedBatch;
  /** [B, T] batch → [B, H] embeddings; gradients flow to the model's trainables and to `lora` when given. */
  embed(batch: EmbedBatch, lora?: LoraBranches | null): Tensor;
}
