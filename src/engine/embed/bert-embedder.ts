// The Embedder of a BERT sentence encoder: WordPiece → BertModel → pooling and normalisation as its sentence-transformers files say.
import { tf, type Tensor } from '../backend/tf';
import { ModelConfigError } from '../errors';
import type { BertModel } from '../models/bert';
import type { LoraBranches } from '../models/forward-context';
import type { Tokenizer } from '../tokenizers/tokenizer';
import type { EmbedBatch, Embedder, Pooling } from './embedder';
import { sentenceEmbedding } from './pooling';
import { encodeTruncated, padBatch } from './tokenize-batch';

export interface BertEmbedderOptions {
  pooling: Pooling;
  normalize: boolean;
  /** sentence-transformers' max_seq_length; at most the model's positions (default: them). */
  maxLength?: number;
  /** sentence_bert_config.json's do_lower_case: lowercase the texts before the tokenizer (default false). */
  lowercase?: boolean;
}

export class BertEmbedder implements Embedder {
  readonly kind = 'bert' as const;
  readonly pooling: Pooling;
  readonly normalize: boolean;
  readonly dimension: number;
  readonly maxLength: number;
  readonly lowercase: boolean;

  constructor(
    readonly model: BertModel,
    readonly tokenizer: Tokenizer,
    options: BertEmbedderOptions,
  ) {
    if (options.pooling === 'last') throw new ModelConfigError('Last-token pooling is for decoder embedders; a BERT encoder pools by mean or [CLS].', "Use pooling 'mean' or 'cls'.");
    this.pooling = options.pooling;
    this.normalize = options.normalize;
    this.dimension = model.dims.hidden;
    this.maxLength = Math.min(options.maxLength ?? model.dims.maxPositions, model.dims.maxPositions);
    this.lowercase = options.lowercase ?? false;
  }

  /** Texts → [CLS] text [SEP] ids, cut to maxLength (keeping [SEP]), right-padded with [PAD]; the caller disposes the tensors. */
  tokenize(texts: readonly string[], maxLength: number = this.maxLength): EmbedBatch {
    const limit = Math.min(maxLength, this.maxLength);
    return padBatch(texts.map((t) => encodeTruncated(this.tokenizer, this.lowercase ? t.toLowerCase() : t, limit)), this.tokenizer.padId ?? 0);
  }

  /** [B, T] → [B, H]; gradients flow to the model's variables and to `lora`. */
  embed(batch: EmbedBatch, lora: LoraBranches | null = null): Tensor {
    return tf.tidy(() => sentenceEmbedding(this.model.forward(batch.ids, batch.mask, { lora }), batch.mask, this.pooling, this.normalize));
  }
}
