// Exact nearest-neighbour search: the corpus embeddings held on the device in row chunks that each fit one buffer, queries scored by matMul + topk.
import { tf, type Tensor } from '../backend/tf';
import { bufferLimitBytes } from '../backend/buffer-limit';
import { partialTopkAvailable, rowTopk } from '../backend/ops';
import { GpuMemoryError } from '../errors';
import type { LoraBranches } from '../models/forward-context';
import type { Embedder } from './embedder';
import { l2Normalize, type Similarity } from './ranking-loss';

/** Corpus embeddings the search keeps on the device at most, unless told otherwise (WebGPU does not report device memory). */
export const DEFAULT_CORPUS_BUDGET_BYTES = 2 * 2 ** 30;

export interface SearchLimits {
  /** Largest bytes one tensor may take (default: the device's buffer limit). */
  maxBufferBytes?: number;
  /** Most bytes all corpus embeddings may take together; a larger corpus is refused with its size. */
  maxCorpusBytes?: number;
  /** Most queries scored at once (default 256; fewer when their score rows would exceed one buffer). */
  queryBatch?: number;
  /**
   * How each row's best are picked: 'partial' (default) the partial top-k kernel where it runs (WebGPU, k ≤ 64), else
   * 'sort': tfjs's topk in two stages (blockTopk; a full sort of every block). The bench times both.
   */
  topk?: 'partial' | 'sort';
}

export interface SearchResult {
  /** Queries × k, row-major: corpus row of each hit, best first. */
  indices: Int32Array;
  /** Their similarities. */
  scores: Float32Array;
  k: number;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** texts → [N, H] embeddings, `batchSize` texts per forward pass (no gradient). */
export function embedTexts(embedder: Embedder, texts: readonly string[], batchSize = 64, lora: LoraBranches | null = null): Tensor {
  const parts: Tensor[] = [];
  try {
    for (let i = 0; i < texts.length; i += batchSize) {
      const batch = embedder.tokenize(texts.slice(i, i + batchSize));
      try {
        parts.push(embedder.embed(batch, lora));
      } finally {
        batch.ids.dispose();
        batch.mask.dispose();
      }
    }
    return parts.length === 1 ? parts.pop()! : tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}

/** Scores per block of the two-stage top-k: a block's k best, then the best of those. */
export const TOPK_BLOCK = 1024;

/**
 * The k largest of each row and their columns, in two stages: the k best of every TOPK_BLOCK columns, then the k best
 * of those. The same values and indices as one topk over the row (ties aside), with short sorts instead of one per
 * row of the whole corpus. scores [q, n] → values, indices [q, k].
 */
export function blockTopk(scores: Tensor, k: number): { values: Tensor; indices: Tensor } {
  const [q, n] = scores.shape as [number, number];
  if (n <= 2 * TOPK_BLOCK || k > TOPK_BLOCK / 4) return tf.topk(scores, k);
  return tf.tidy(() => {
    const blocks = Math.ceil(n / TOPK_BLOCK);
    const padded = blocks * TOPK_BLOCK === n ? scores : tf.pad(scores, [[0, 0], [0, blocks * TOPK_BLOCK - n]], -Infinity); // [q, blocks·B]
    const local = tf.topk(tf.reshape(padded, [q, blocks, TOPK_BLOCK]), k); // [q, blocks, k]
    const offsets = tf.reshape(tf.mul(tf.range(0, blocks, 1, 'int32'), tf.scalar(TOPK_BLOCK, 'int32')), [1, blocks, 1]);
    const columns = tf.reshape(tf.add(local.indices, offsets), [q, blocks * k]); // [q, blocks·k]
    const best = tf.topk(tf.reshape(local.values, [q, blocks * k]), k); // [q, k]
    return { values: best.values, indices: tf.gather(columns, best.indices, 1, 1) };
  });
}

/** The corpus side of an exact search: [N, H] embeddings (unit rows under cosine) as row chunks on the device. */
export class CorpusIndex {
  private constructor(
    private readonly chunks: Tensor[],
    readonly size: number,
    readonly dimension: number,
    readonly similarity: Similarity,
    private readonly maxBufferBytes: number,
    private readonly queryBatch: number,
    private readonly topk: 'partial' | 'sort',
  ) {}

  /** Takes ownership of `embeddings` [N, H] (disposed here), split into chunks of at most one buffer each. */
  static fromEmbeddings(embeddings: Tensor, similarity: Similarity = 'cosine', limits: SearchLimits = {}): CorpusIndex {
    const [N, H] = embeddings.shape as [number, number];
    const maxBufferBytes = limits.maxBufferBytes ?? bufferLimitBytes();
    const budget = limits.maxCorpusBytes ?? DEFAULT_CORPUS_BUDGET_BYTES;
    const bytes = 4 * N * H;
    if (bytes > budget || 4 * H > maxBufferBytes) {
      embeddings.dispose();
      throw new GpuMemoryError(
        `The corpus needs ${mib(bytes)} of embeddings on the device (${N.toLocaleString('en-US')} documents × ${H} floats), over the ${mib(budget)} the search may use.`,
        'Search a smaller corpus (split it into parts and search each), or use a model with narrower embeddings.',
      );
    }
    const rowsPerChunk = Math.max(1, Math.min(N, Math.floor(maxBufferBytes / (4 * H))));
    const chunks: Tensor[] = [];
    try {
      for (let start = 0; start < N; start += rowsPerChunk) {
        chunks.push(tf.tidy(() => {
          const rows = tf.slice(embeddings, [start, 0], [Math.min(rowsPerChunk, N - start), H]);
          return similarity === 'cosine' ? l2Normalize(rows) : rows;
        }));
      }
    } finally {
      embeddings.dispose();
    }
    return new CorpusIndex(chunks, N, H, similarity, maxBufferBytes, limits.queryBatch ?? 256, limits.topk ?? 'partial');
  }

  /** Embeds `texts` with `embedder` (and `lora`) and indexes them. */
  static build(embedder: Embedder, texts: readonly string[], options: SearchLimits & { similarity?: Similarity; batchSize?: number; lora?: LoraBranches | null } = {}): CorpusIndex {
    return CorpusIndex.fromEmbeddings(embedTexts(embedder, texts, options.batchSize, options.lora ?? null), options.similarity, options);
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  /** The k best of each row of scores [q, n]: the partial top-k kernel where it runs, else tfjs's topk in two stages. */
  private static best(scores: Tensor, k: number, merge: boolean, topk: 'partial' | 'sort'): { values: Tensor; indices: Tensor } {
    if (topk === 'partial' && partialTopkAvailable(k, scores.shape[1] as number)) return rowTopk(scores, k);
    return merge ? tf.topk(scores, k) : blockTopk(scores, k);
  }

  /** queries [Q, H] (not disposed) → the top k corpus rows of each, by similarity (ties: the lower row first with the kernel). */
  async search(queries: Tensor, k: number, topk: 'partial' | 'sort' = this.topk): Promise<SearchResult> {
    const Q = queries.shape[0] as number;
    const kk = Math.min(k, this.size);
    const indices = new Int32Array(Q * kk);
    const scores = new Float32Array(Q * kk);
    const widest = Math.max(...this.chunks.map((c) => c.shape[0] as number));
    const batch = Math.max(1, Math.min(this.queryBatch, Math.floor(this.maxBufferBytes / (4 * widest))));
    for (let q0 = 0; q0 < Q; q0 += batch) {
      const rows = Math.min(batch, Q - q0);
      const [values, hits] = tf.tidy(() => {
        let qs = tf.slice(queries, [q0, 0], [rows, this.dimension]); // [q, H]
        if (this.similarity === 'cosine') qs = l2Normalize(qs);
        const vals: Tensor[] = [];
        const idxs: Tensor[] = [];
        let offset = 0;
        for (const chunk of this.chunks) {
          const n = chunk.shape[0] as number;
          const top = CorpusIndex.best(tf.matMul(qs, chunk, false, true), Math.min(kk, n), false, topk); // [q, n] → [q, k']
          vals.push(top.values);
          idxs.push(tf.add(top.indices, tf.scalar(offset, 'int32')));
          offset += n;
        }
        if (vals.length === 1) return [vals[0], idxs[0]];
        // Candidates in chunk order, so a tie between chunks keeps the lower corpus row first.
        const merged = CorpusIndex.best(tf.concat(vals, 1), kk, true, topk); // [q, Σk'] → [q, k]
        return [merged.values, tf.gather(tf.concat(idxs, 1), merged.indices, 1, 1)];
      });
      const [v, i] = await Promise.all([values.data(), hits.data()]);
      tf.dispose([values, hits]);
      scores.set(v as Float32Array, q0 * kk);
      indices.set(i as Int32Array, q0 * kk);
    }
    return { indices, scores, k: kk };
  }

  dispose(): void {
    tf.dispose(this.chunks);
    this.chunks.length = 0;
  }
}
