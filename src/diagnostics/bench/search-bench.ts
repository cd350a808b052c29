// Exact search's cost (issue 18): 10^5 random documents held on the device, a batch of queries scored by matMul + topk, timed.
import { tf } from '../../engine/backend/tf';
import { CorpusIndex } from '../../engine/embed/exact-search';
import { median } from './measure';

export interface SearchMeasurement {
  documents: number;
  dimension: number;
  queries: number;
  k: number;
  /** Buffers the corpus was split into (the device's binding limit decides). */
  chunks: number;
  /** Median of the timed searches (after one untimed, which compiles the shaders), readback included. */
  ms: number;
  firstMs: number;
  searchesMs: number[];
}

/** 10^5 × dimension unit vectors on the device; `rounds` timed searches of `queries` queries for their top 10. */
export async function benchSearch(log: (line: string) => void, options: { documents?: number; dimension?: number; queries?: number; rounds?: number } = {}): Promise<SearchMeasurement> {
  const documents = options.documents ?? 100_000;
  const dimension = options.dimension ?? 384;
  const queries = options.queries ?? 64;
  const rounds = options.rounds ?? 5;
  const index = CorpusIndex.fromEmbeddings(tf.randomNormal([documents, dimension], 0, 1, 'float32', 1), 'cosine');
  const q = tf.randomNormal([queries, dimension], 0, 1, 'float32', 2);
  try {
    const time = async () => {
      const t0 = performance.now();
      await index.search(q, 10);
      return performance.now() - t0;
    };
    const firstMs = await time();
    const searchesMs: number[] = [];
    for (let i = 0; i < rounds; i++) searchesMs.push(await time());
    const ms = median(searchesMs);
    log(`exact search: ${documents} documents × ${dimension} in ${index.chunkCount} buffer(s), ${queries} queries, top 10: first ${firstMs.toFixed(0)} ms, median ${ms.toFixed(0)} ms`);
    return { documents, dimension, queries, k: 10, chunks: index.chunkCount, ms, firstMs, searchesMs };
  } finally {
    q.dispose();
    index.dispose();
  }
}
