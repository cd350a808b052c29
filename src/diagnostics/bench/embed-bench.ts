// Embedding throughput (issue 18): texts/s of a BERT encoder embedding batches of length-64 texts (mean pooling, normalised), random weights.
import { tf } from '../../engine/backend/tf';
import { BertEmbedder } from '../../engine/embed/bert-embedder';
import { createBertModel } from '../../engine/models/bert';
import type { BertConfig } from '../../engine/models/bert-config';
import { loadTokenizer } from '../../engine/tokenizers/load';
import { buildWordPieceTokenizerJson } from '../../engine/tokenizers/wordpiece-tokenizer-json';
import { dispatchCount } from './dispatch-counter';
import { median } from './measure';
import { Rng } from '../../engine/rng';

export interface EncoderBenchShape {
  model: string;
  config: BertConfig;
  /** Texts per embed call and tokens per text ([CLS] … [SEP] included). */
  batch: number;
  seq: number;
}

const bert = (hidden: number, layers: number, heads: number, intermediate: number, vocab: number): BertConfig => ({
  model_type: 'bert', vocab_size: vocab, hidden_size: hidden, num_hidden_layers: layers, num_attention_heads: heads,
  intermediate_size: intermediate, max_position_embeddings: 512, type_vocab_size: 2, layer_norm_eps: 1e-12, hidden_act: 'gelu',
});

/** The tiny GPT's width and depth as a BERT encoder (the "tiny encoder shape"). */
export const TINY_ENCODER: EncoderBenchShape = { model: 'tiny-bert', config: bert(128, 4, 4, 512, 512), batch: 32, seq: 64 };
/** sentence-transformers/all-MiniLM-L6-v2's shape (random weights): 6 layers, 384 wide, 12 heads, 30,522 tokens. */
export const MINILM_L6_SHAPED: EncoderBenchShape = { model: 'all-MiniLM-L6-v2-shaped', config: bert(384, 6, 12, 1536, 30522), batch: 32, seq: 64 };

export interface EmbedMeasurement {
  model: string;
  batch: number;
  seq: number;
  /** Median ms of one embed call of `batch` texts, read back; and texts/s from it. */
  msPerBatch: number;
  textsPerSec: number;
  firstBatchMs: number;
  batchesMs: number[];
  dispatchesPerBatch: number;
}

/**
 * One untimed embed (compiles the shaders), then `rounds` timed embeds of the same batch, each awaited to its read
 * back [B, H] vectors. Texts are random ids of exactly `seq` tokens between [CLS] and [SEP] (no padding), so the
 * figure is the encoder's forward, pooling and normalisation at length 64, without the tokenizer.
 */
export async function benchEmbedding(shape: EncoderBenchShape, rounds: number, log: (line: string) => void): Promise<EmbedMeasurement> {
  const model = createBertModel(shape.config, { seed: 1 });
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', ...Array.from({ length: 16 }, (_, i) => `w${i}`)];
  const embedder = new BertEmbedder(model, loadTokenizer(buildWordPieceTokenizerJson({ vocab })), { pooling: 'mean', normalize: true });
  const rng = new Rng(2);
  const rows = Array.from({ length: shape.batch }, () => [2, ...Array.from({ length: shape.seq - 2 }, () => 4 + rng.int(shape.config.vocab_size - 4)), 3]);
  const ids = tf.tensor2d(rows.flat(), [shape.batch, shape.seq], 'int32');
  const mask = tf.onesLike(ids);
  const once = async () => {
    const e = embedder.embed({ ids, mask });
    await e.data();
    e.dispose();
  };
  try {
    let t0 = performance.now();
    await once();
    const firstBatchMs = performance.now() - t0;
    const times: number[] = [];
    const dispatches: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const d0 = dispatchCount();
      t0 = performance.now();
      await once();
      times.push(performance.now() - t0);
      dispatches.push(dispatchCount() - d0);
    }
    const ms = median(times);
    const out = { model: shape.model, batch: shape.batch, seq: shape.seq, msPerBatch: ms, textsPerSec: shape.batch / (ms / 1000), firstBatchMs, batchesMs: times, dispatchesPerBatch: median(dispatches) };
    log(`${shape.model}: ${out.textsPerSec.toFixed(1)} texts/s at length ${shape.seq} (batch ${shape.batch}: ${times.map((t) => t.toFixed(0)).join(' ')} ms, ${out.dispatchesPerBatch} dispatches)`);
    return out;
  } finally {
    tf.dispose([ids, mask]);
    model.dispose();
  }
}
