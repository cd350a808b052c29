// Embedding throughput (issue 18): texts/s of a BERT encoder embedding batches of length-64 texts (mean pooling, normalised),
// random weights, timed interleaved with a causal LM of the same width used as an embedder (the fused causal kernels' path).
import { tf } from '../../engine/backend/tf';
import { BertEmbedder } from '../../engine/embed/bert-embedder';
import { CausalLmEmbedder } from '../../engine/embed/causal-lm-embedder';
import type { EmbedBatch, Embedder } from '../../engine/embed/embedder';
import { createBertModel } from '../../engine/models/bert';
import type { BertConfig } from '../../engine/models/bert-config';
import { createModel } from '../../engine/models/causal-lm';
import type { Gpt2Config } from '../../engine/models/config';
import { Rng } from '../../engine/rng';
import { buildCharTokenizerJson } from '../../engine/tokenizers/char-tokenizer-json';
import { loadTokenizer } from '../../engine/tokenizers/load';
import { buildWordPieceTokenizerJson } from '../../engine/tokenizers/wordpiece-tokenizer-json';
import { dispatchCount } from './dispatch-counter';
import { median } from './measure';

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

interface Side {
  label: string;
  embedder: Embedder;
  batch: EmbedBatch;
  dispose(): void;
}

/** Random ids of exactly `seq` tokens, first and last fixed (BERT: [CLS] … [SEP]), no padding. */
function fixedBatch(B: number, T: number, vocab: number, first: number, last: number): EmbedBatch {
  const rng = new Rng(2);
  const rows = Array.from({ length: B }, () => [first, ...Array.from({ length: T - 2 }, () => 4 + rng.int(vocab - 4)), last]);
  const ids = tf.tensor2d(rows.flat(), [B, T], 'int32');
  return { ids, mask: tf.onesLike(ids) };
}

function bertSide(shape: EncoderBenchShape): Side {
  const model = createBertModel(shape.config, { seed: 1 });
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', ...Array.from({ length: 16 }, (_, i) => `w${i}`)];
  const embedder = new BertEmbedder(model, loadTokenizer(buildWordPieceTokenizerJson({ vocab })), { pooling: 'mean', normalize: true });
  const batch = fixedBatch(shape.batch, shape.seq, shape.config.vocab_size, 2, 3);
  return { label: shape.model, embedder, batch, dispose: () => (tf.dispose([batch.ids, batch.mask]), model.dispose()) };
}

/** A GPT-2 of the encoder's width, depth, heads and vocabulary as a CausalLmEmbedder (mean pooling, normalised). */
function causalSide(shape: EncoderBenchShape): Side {
  const c = shape.config;
  const config: Gpt2Config = { model_type: 'gpt2', vocab_size: c.vocab_size, n_positions: shape.seq, n_embd: c.hidden_size, n_layer: c.num_hidden_layers, n_head: c.num_attention_heads, n_inner: c.intermediate_size, layer_norm_epsilon: 1e-5 };
  const model = createModel(config, { seed: 1 });
  const embedder = new CausalLmEmbedder(model, loadTokenizer(buildCharTokenizerJson(['a'])), { pooling: 'mean', normalize: true });
  const batch = fixedBatch(shape.batch, shape.seq, c.vocab_size, 4, 5);
  return { label: `${shape.model} as gpt2 (causal, fused kernels)`, embedder, batch, dispose: () => (tf.dispose([batch.ids, batch.mask]), model.dispose()) };
}

async function embedOnce(side: Side): Promise<void> {
  const e = side.embedder.embed(side.batch);
  await e.data();
  e.dispose();
}

/**
 * For the BERT encoder and a causal LM of the same shape used as an embedder: one untimed embed each (compiles the
 * shaders), then `rounds` rounds timing one embed of each (order alternating), each awaited to its read-back [B, H]
 * vectors. The texts are `seq` random ids with no padding, so the figure is the forward, pooling and normalisation at
 * length 64, without the tokenizer.
 */
export async function benchEmbedding(shape: EncoderBenchShape, rounds: number, log: (line: string) => void): Promise<{ encoder: EmbedMeasurement; causalSameShape: EmbedMeasurement }> {
  const sides = [bertSide(shape), causalSide(shape)];
  try {
    const first: number[] = [];
    for (const side of sides) {
      const t0 = performance.now();
      await embedOnce(side);
      first.push(performance.now() - t0);
    }
    const times = sides.map(() => [] as number[]);
    const dispatches = sides.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (let j = 0; j < sides.length; j++) {
        const k = (j + r) % sides.length;
        const d0 = dispatchCount();
        const t0 = performance.now();
        await embedOnce(sides[k]);
        times[k].push(performance.now() - t0);
        dispatches[k].push(dispatchCount() - d0);
      }
    }
    const [encoder, causalSameShape] = sides.map((side, k): EmbedMeasurement => {
      const ms = median(times[k]);
      const m = { model: side.label, batch: shape.batch, seq: shape.seq, msPerBatch: ms, textsPerSec: shape.batch / (ms / 1000), firstBatchMs: first[k], batchesMs: times[k], dispatchesPerBatch: median(dispatches[k]) };
      log(`${side.label}: ${m.textsPerSec.toFixed(1)} texts/s at length ${shape.seq} (batch ${shape.batch}: ${times[k].map((t) => t.toFixed(0)).join(' ')} ms, ${m.dispatchesPerBatch} dispatches)`);
      return m;
    });
    return { encoder, causalSameShape };
  } finally {
    for (const side of sides) side.dispose();
  }
}
