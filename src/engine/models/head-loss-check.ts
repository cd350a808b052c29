// Checks the row-chunked head + cross-entropy (loss, argmax hits, gradients into x and the head) against float64 loops, on any backend.
import { relativeError, seeded, take, type KernelCheck } from '../backend/kernels/check-harness';
import { softmaxCrossEntropyRef, weightedArgmaxHitsRef } from '../backend/kernels/cross-entropy/cross-entropy-reference';
import { tf, type Tensor } from '../backend/tf';
import { headCrossEntropy, lossRowChunks } from './head-loss';

export interface HeadLossCase {
  N: number;
  C: number;
  /** The head's row chunks [V_k, C] (as createModel splits a large table); V = their sum. */
  headRows: number[];
  /** The buffer limit the loss plans its row chunks with. */
  maxBytes: number;
  seed: number;
}

/** x [N, C], W [V, C] → float64 logits [N, V]. */
function logits64(x: Float32Array, w: Float32Array, N: number, C: number, V: number): Float64Array {
  const out = new Float64Array(N * V);
  for (let n = 0; n < N; n++) {
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += x[n * C + c] * w[v * C + c];
      out[n * V + v] = s;
    }
  }
  return out;
}

/** One case: the loss, the hit count, d x and d W (the head's chunks joined) against the float64 reference. */
export async function checkHeadLoss(c: HeadLossCase): Promise<KernelCheck[]> {
  const { N, C, headRows, maxBytes, seed } = c;
  const V = headRows.reduce((a, b) => a + b, 0);
  const chunks = lossRowChunks(N, V, maxBytes);
  const label = `head cross-entropy N${N} C${C} V${V} (head in ${headRows.length}, rows in ${chunks.length} chunks [${chunks}])`;
  const xData = seeded(N * C, seed, 1);
  const wData = seeded(V * C, seed + 1, 0.8);
  const ref64 = logits64(xData, wData, N, C, V);
  // Every third target is its row's argmax (so the hit count is not trivially 0), the rest spread over the vocabulary.
  const targetsData = Int32Array.from({ length: N }, (_, n) => {
    if (n % 3) return (n * 7919 + seed) % V;
    let arg = 0;
    for (let v = 1; v < V; v++) if (ref64[n * V + v] > ref64[n * V + arg]) arg = v;
    return arg;
  });
  const weightsData = Float32Array.from({ length: N }, (_, n) => (n % 5 === 4 ? 0 : n % 4 === 1 ? 0.5 : 1));
  const denominator = weightsData.reduce((a, b) => a + b, 0) + 1.25;
  const dyScale = 1.5;
  const ref = softmaxCrossEntropyRef(ref64, targetsData, weightsData, N, V, denominator, dyScale);
  const dx = new Float64Array(N * C);
  const dw = new Float64Array(V * C);
  for (let n = 0; n < N; n++) {
    for (let v = 0; v < V; v++) {
      const g = ref.grad[n * V + v];
      if (g === 0) continue;
      for (let k = 0; k < C; k++) {
        dx[n * C + k] += g * wData[v * C + k];
        dw[v * C + k] += g * xData[n * C + k];
      }
    }
  }
  const x = tf.tensor2d(xData, [N, C]);
  const head: Tensor[] = [];
  let row = 0;
  for (const rows of headRows) {
    head.push(tf.tensor2d(wData.subarray(row * C, (row + rows) * C), [rows, C]));
    row += rows;
  }
  const targets = tf.tensor1d(targetsData, 'int32');
  const weights = tf.tensor1d(weightsData);
  try {
    const { loss, correct, grads } = tf.tidy(() => {
      const g = tf.grads((...args: Tensor[]) => tf.mul(headCrossEntropy(args[0], args.slice(1), targets, weights, denominator, maxBytes).loss, dyScale));
      const out = headCrossEntropy(x, head, targets, weights, denominator, maxBytes);
      return { ...out, grads: g([x, ...head]) };
    });
    const [lossValue, hits, gx, ...gw] = await Promise.all([take(loss), take(correct), ...grads.map(take)]);
    const joined = new Float32Array(V * C);
    let at = 0;
    for (const part of gw) {
      joined.set(part, at);
      at += part.length;
    }
    return [
      { what: `${label}: loss`, error: relativeError(lossValue, [ref.loss]) },
      { what: `${label}: weighted argmax hits`, error: Math.abs(hits[0] - weightedArgmaxHitsRef(ref64, targetsData, weightsData, N, V)) },
      { what: `${label}: dx`, error: relativeError(gx, dx) },
      { what: `${label}: dW`, error: relativeError(joined, dw) },
    ];
  } finally {
    tf.dispose([x, ...head, targets, weights]);
  }
}

/**
 * The cases: one chunk (the plain path), several row chunks over a split head, and a vocabulary above the
 * cross-entropy's row-per-workgroup threshold (4,096) in three row chunks.
 */
export const HEAD_LOSS_CASES: HeadLossCase[] = [
  { N: 13, C: 8, headRows: [37], maxBytes: Infinity, seed: 1 },
  { N: 13, C: 8, headRows: [16, 16, 5], maxBytes: 4 * 37 * 4, seed: 2 }, // 4 rows of logits per chunk: [4, 3, 3, 3]
  { N: 9, C: 16, headRows: [2048, 2048, 907], maxBytes: 3 * 4 * 5003, seed: 3 }, // [3, 3, 3]
];

export async function headLossChecks(cases: HeadLossCase[] = HEAD_LOSS_CASES): Promise<KernelCheck[]> {
  const out: KernelCheck[] = [];
  for (const c of cases) out.push(...(await checkHeadLoss(c)));
  return out;
}
