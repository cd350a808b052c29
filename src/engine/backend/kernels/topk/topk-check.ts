// Checks the partial top-k kernel against brute force (every row sorted, ties by the lower column): random rows, many
// ties, segments shorter than k, k = n, several merge passes. Values must match exactly (a pick, not arithmetic);
// indices are counted as errors. Exact search through it: src/engine/embed/exact-search-check.ts.
import { tf } from '../../tf';
import { partialTopk } from './topk';
import { topkRef } from './topk-reference';
import { pseudoRandom, relativeError, type KernelCheck } from '../check-harness';

/** Positions where two index lists differ (0 = the same picks in the same order). */
export function mismatches(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let n = 0;
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) n++;
  return n;
}

async function checkRows(label: string, data: Float32Array, rows: number, n: number, k: number, segment?: number): Promise<KernelCheck[]> {
  const scores = tf.tensor2d(data, [rows, n]);
  const { values, indices } = partialTopk(scores, k, segment);
  try {
    const [v, i] = await Promise.all([values.data(), indices.data()]);
    const ref = topkRef(data, rows, n, k);
    return [
      { what: `${label}: values`, error: relativeError(v, ref.values) },
      { what: `${label}: indices (mismatches)`, error: mismatches(i, ref.indices) },
    ];
  } finally {
    tf.dispose([scores, values, indices]);
  }
}

export async function topkChecks(): Promise<KernelCheck[]> {
  const ties = pseudoRandom(3 * 1000, 3).map((x) => Math.floor(x * 8) / 8); // 8 levels: hundreds of ties per row
  return [
    ...(await checkRows('top-10 of [5, 3000]', pseudoRandom(5 * 3000, 1), 5, 3000, 10)),
    ...(await checkRows('top-16 of [3, 1000], 8 distinct values', ties, 3, 1000, 16)),
    ...(await checkRows('top-12 of [4, 100], segments of 5 (shorter than k)', pseudoRandom(4 * 100, 4), 4, 100, 12, 5)),
    ...(await checkRows('top-40 of [2, 40] (k = n)', pseudoRandom(2 * 40, 5), 2, 40, 40)),
    ...(await checkRows('top-10 of [2, 70000], segments of 16 (several merge passes)', pseudoRandom(2 * 70000, 6), 2, 70000, 10, 16)),
  ];
}
