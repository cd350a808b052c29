// Exact search against a brute-force CPU search (float64), one buffer and chunked, and the refusal of a corpus too large.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../backend/tf';
import { initBackend } from '../backend/init';
import { GpuMemoryError } from '../errors';
import { Rng } from '../rng';
import { blockTopk, CorpusIndex, TOPK_BLOCK } from './exact-search';

beforeAll(async () => {
  await initBackend('cpu');
});

function randomMatrix(rng: Rng, n: number, h: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: h }, () => rng.next() * 2 - 1));
}

function bruteForce(queries: number[][], corpus: number[][], k: number, cosine: boolean): number[][] {
  const norm = (v: number[]) => (cosine ? Math.hypot(...v) : 1);
  return queries.map((q) => {
    const s = corpus.map((d, i) => ({ i, s: q.reduce((a, x, j) => a + x * d[j], 0) / (norm(q) * norm(d)) }));
    return s.sort((a, b) => b.s - a.s).slice(0, k).map((x) => x.i);
  });
}

describe.each([
  ['cosine, one buffer', 'cosine', Infinity],
  ['cosine, chunked over the corpus (7 rows per buffer)', 'cosine', 4 * 16 * 7],
  ['dot, chunked', 'dot', 4 * 16 * 10],
] as const)('%s', (_, similarity, maxBufferBytes) => {
  it('finds the same top 10 as brute force', async () => {
    const rng = new Rng(11);
    const corpus = randomMatrix(rng, 53, 16);
    const queries = randomMatrix(rng, 9, 16);
    const index = CorpusIndex.fromEmbeddings(tf.tensor2d(corpus), similarity, { maxBufferBytes, queryBatch: 4 });
    if (maxBufferBytes !== Infinity) expect(index.chunkCount).toBeGreaterThan(1);
    const q = tf.tensor2d(queries);
    const result = await index.search(q, 10);
    const want = bruteForce(queries, corpus, 10, similarity === 'cosine');
    for (let i = 0; i < queries.length; i++) expect([...result.indices.subarray(i * 10, i * 10 + 10)]).toEqual(want[i]);
    // scores descend within each query
    for (let i = 0; i < queries.length; i++) for (let j = 1; j < 10; j++) expect(result.scores[i * 10 + j]).toBeLessThanOrEqual(result.scores[i * 10 + j - 1]);
    q.dispose();
    index.dispose();
  });
});

it('refuses a corpus over its budget, with the sizes', () => {
  const big = tf.zeros([1000, 64]);
  expect(() => CorpusIndex.fromEmbeddings(big, 'cosine', { maxCorpusBytes: 100_000 })).toThrow(GpuMemoryError);
  const big2 = tf.zeros([1000, 64]);
  expect(() => CorpusIndex.fromEmbeddings(big2, 'cosine', { maxCorpusBytes: 100_000 })).toThrow(/0\.2 MiB .*1,000 documents × 64 floats.*0\.1 MiB/);
});

it('k larger than the corpus returns the whole corpus ranked', async () => {
  const index = CorpusIndex.fromEmbeddings(tf.tensor2d([[1, 0], [0, 1], [0.7, 0.7]]), 'cosine', {});
  const q = tf.tensor2d([[1, 0.1]]);
  const r = await index.search(q, 10);
  expect(r.k).toBe(3);
  expect([...r.indices]).toEqual([0, 2, 1]);
  q.dispose();
  index.dispose();
});

it('two-stage top-k equals one topk over the row (a row of 5 blocks and a ragged last one)', () => {
  const rng = new Rng(5);
  const n = 4 * TOPK_BLOCK + 77;
  const rows = Array.from({ length: 3 }, () => Array.from({ length: n }, () => rng.next()));
  const scores = tf.tensor2d(rows);
  const got = blockTopk(scores, 10);
  const want = tf.topk(scores, 10);
  expect([...got.indices.dataSync()]).toEqual([...want.indices.dataSync()]);
  expect([...got.values.dataSync()]).toEqual([...want.values.dataSync()]);
  tf.dispose([scores, got.values, got.indices, want.values, want.indices]);
});
