// A loaded sentence-encoder checkpoint → a ready BertEmbedder (model, tokenizer, pooling and length as its files say).
import type { LoadedEncoder } from '../hub/load-encoder';
import { createBertModel } from '../models/bert';
import { loadTokenizer } from '../tokenizers/load';
import { BertEmbedder } from './bert-embedder';

/** sentence-transformers' length when sentence_bert_config.json gives none: min(max_position_embeddings, tokenizer model_max_length). */
function defaultMaxLength(loaded: LoadedEncoder): number | undefined {
  const fromTokenizer = (loaded.tokenizerConfig as { model_max_length?: unknown } | null)?.model_max_length;
  return typeof fromTokenizer === 'number' && Number.isInteger(fromTokenizer) && fromTokenizer > 0 ? fromTokenizer : undefined;
}

/** Builds the encoder's weights on the current backend and its embedder; the caller disposes `embedder.model`. */
export function bertEmbedderOf(loaded: LoadedEncoder): BertEmbedder {
  const tokenizer = loadTokenizer(loaded.tokenizerJson, loaded.tokenizerConfig ?? undefined);
  const model = createBertModel(loaded.config, loaded.weights);
  const st = loaded.sentenceTransformers;
  return new BertEmbedder(model, tokenizer, {
    pooling: st.pooling,
    normalize: st.normalize,
    maxLength: st.maxSeqLength ?? defaultMaxLength(loaded),
    lowercase: st.doLowerCase,
  });
}
