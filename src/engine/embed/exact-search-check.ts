// Exact search through the partial top-k kernel against brute force: several corpus chunks, tied documents in every
// chunk, k larger than a chunk's rows (run beside the kernel checks: the kernel self-test page, fused-kernels.test.ts).
import { tf } from '../backend/tf';
import { pseudoRandom, relativeError, type KernelCheck } from '../backend/kernels/check-harness';
import { mismatches } from '../backend/kernels/topk/topk-check';
import { topkRef } from '../backend/kernels/topk/topk-reference';
import { CorpusIndex } from './exact-search';

/** Exact search against brute force over the same float32 similarities (read back from the device), ties by the lower row. */
export async function exactSearchChecks(): Promise<KernelCheck[]> {
  const [N, H, Q, k] = [300, 8, 5, 40];
  // 300 documents drawn from 12 distinct vectors: every query ties across many documents, in every chunk.
  // Quarters in [-1, 1]: every dot product is exact in float32, whatever the matmul's order of summation (one chunk
  // or the whole corpus), so tied documents tie exactly in the search and in the reference alike.
  const quarters = (a: Float32Array) => a.map((x) => Math.round(x * 8) / 4);
  const distinct = quarters(pseudoRandom(12 * H, 7));
  const docs = new Float32Array(N * H);
  for (let d = 0; d < N; d++) docs.set(distinct.subarray(((d * 5) % 12) * H, (((d * 5) % 12) + 1) * H), d * H);
  const queries = tf.tensor2d(quarters(pseudoRandom(Q * H, 9)), [Q, H]);
  // 32 rows a buffer: 10 chunks, and k (40) above a chunk's rows.
  const index = CorpusIndex.fromEmbeddings(tf.tensor2d(docs, [N, H]), 'dot', { maxBufferBytes: 32 * H * 4 });
  const scores = tf.tidy(() => tf.matMul(queries, tf.tensor2d(docs, [N, H]), false, true)); // [Q, N], brute force
  try {
    const got = await index.search(queries, k);
    const ref = topkRef(await scores.data(), Q, N, k);
    const label = `exact search ${N} docs (12 distinct) × ${H} in ${index.chunkCount} chunks, ${Q} queries, k ${k}`;
    return [
      { what: `${label}: scores`, error: relativeError(got.scores, ref.values) },
      { what: `${label}: rows (mismatches)`, error: mismatches(got.indices, ref.indices) },
    ];
  } finally {
    tf.dispose([queries, scores]);
    index.dispose();
  }
}

