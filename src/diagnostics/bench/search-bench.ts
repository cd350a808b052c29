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
  /** Median of the timed searches (after one untimed, which compiles the shaders), readback included: the shipped top-k (the partial top-k kernel on WebGPU). */
  ms: number;
  firstMs: number;
  searchesMs: number[];
  /**
   * The same searches with tfjs's topk in two stages (blockTopk, the search before the kernel), timed alternately with
   * the ones above in the same rounds (same load): first, each round, median.
   */
  sort: { firstMs: number; searchesMs: number[]; ms: number };
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
    const time = async (topk: 'partial' | 'sort') => {
      const t0 = performance.now();
      await index.search(q, 10, topk);
      return performance.now() - t0;
    };
    const firstMs = await time('partial');
    const sortFirstMs = await time('sort');
    const searchesMs: number[] = [];
    const sortMs: number[] = [];
    // Alternated, the order swapped every round, so both see the same minutes of load.
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        searchesMs.push(await time('partial'));
        sortMs.push(await time('sort'));
      } else {
        sortMs.push(await time('sort'));
        searchesMs.push(await time('partial'));
      }
      log(`exact search round ${i + 1}: partial top-k ${searchesMs.at(-1)!.toFixed(0)} ms, two-stage sort ${sortMs.at(-1)!.toFixed(0)} ms`);
    }
    const ms = median(searchesMs);
    const sort = { firstMs: sortFirstMs, searchesMs: sortMs, ms: median(sortMs) };
    log(`exact search: ${documents} documents × ${dimension} in ${index.chunkCount} buffer(s), ${queries} queries, top 10: partial top-k first ${firstMs.toFixed(0)} ms, median ${ms.toFixed(0)} ms; two-stage sort first ${sort.firstMs.toFixed(0)} ms, median ${sort.ms.toFixed(0)} ms`);
    return { documents, dimension, queries, k: 10, chunks: index.chunkCount, ms, firstMs, searchesMs, sort };
  } finally {
    q.dispose();
    index.dispose();
  }
}
