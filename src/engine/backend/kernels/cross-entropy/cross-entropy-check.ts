// Checks the fused softmax cross-entropy (loss, gradient) and the weighted argmax hit count against float64 loops.
import { tf, type Tensor } from '../../tf';
import { fusedSoftmaxCrossEntropy, fusedWeightedArgmaxHits } from './cross-entropy';
import { softmaxCrossEntropyRef, weightedArgmaxHitsRef } from './cross-entropy-reference';
import { relativeError, seeded, take, vjp, type KernelCheck } from '../check-harness';

async function checkShape(N: number, V: number, seed: number): Promise<KernelCheck[]> {
  const label = `softmax cross-entropy N${N} V${V}`;
  const logitsData = seeded(N * V, seed, 4);
  const targetsData = Int32Array.from({ length: N }, (_, n) => (n * 7919 + seed) % V);
  // Loss mask: some rows off, some fractional, like chat weights and padding.
  const weightsData = Float32Array.from({ length: N }, (_, n) => (n % 5 === 0 ? 0 : n % 3 === 0 ? 0.5 : 1));
  const denominator = weightsData.reduce((a, b) => a + b, 0) + 1.5; // a whole-step denominator differs from this batch's sum
  const dyScale = 1.75;
  const logits = tf.tensor2d(logitsData, [N, V]);
  const targets = tf.tensor1d(targetsData, 'int32');
  const weights = tf.tensor1d(weightsData);
  const dy = tf.scalar(dyScale);
  try {
    const ref = softmaxCrossEntropyRef(logitsData, targetsData, weightsData, N, V, denominator, dyScale);
    const { value, grads } = await vjp((x: Tensor) => fusedSoftmaxCrossEntropy(x, targets, weights, denominator), [logits], dy);
    const hits = await take(tf.tidy(() => fusedWeightedArgmaxHits(logits, targets, weights)));
    return [
      { what: `${label}: loss`, error: relativeError(value, [ref.loss]) },
      { what: `${label}: dlogits`, error: relativeError(grads[0], ref.grad) },
      { what: `${label}: weighted argmax hits`, error: Math.abs(hits[0] - weightedArgmaxHitsRef(logitsData, targetsData, weightsData, N, V)) },
    ];
  } finally {
    tf.dispose([logits, targets, weights, dy]);
  }
}

/** Hits need targets that are sometimes the argmax: targets taken from the logits' own argmax on every other row. */
async function checkHits(N: number, V: number): Promise<KernelCheck> {
  const logitsData = seeded(N * V, 99, 3);
  const targetsData = Int32Array.from({ length: N }, (_, n) => {
    if (n % 2) return (n * 31) % V;
    let arg = 0;
    for (let v = 1; v < V; v++) if (logitsData[n * V + v] > logitsData[n * V + arg]) arg = v;
    return arg;
  });
  const weightsData = Float32Array.from({ length: N }, (_, n) => (n % 4 === 0 ? 0 : 1));
  const got = await take(tf.tidy(() => fusedWeightedArgmaxHits(tf.tensor2d(logitsData, [N, V]), tf.tensor1d(targetsData, 'int32'), tf.tensor1d(weightsData))));
  const want = weightedArgmaxHitsRef(logitsData, targetsData, weightsData, N, V);
  return { what: `weighted argmax hits N${N} V${V} (want ${want})`, error: Math.abs(got[0] - want) / Math.max(want, 1) };
}

export async function crossEntropyChecks(): Promise<KernelCheck[]> {
  // V 262,144 is Gemma 3's vocabulary (a row per workgroup, the lanes splitting it); hits on ties and rows shorter than the lanes.
  return [
    ...(await checkShape(37, 61, 1)), ...(await checkShape(300, 515, 2)), ...(await checkShape(5, 1000, 3)), ...(await checkShape(3, 262144, 4)),
    await checkHits(67, 129), await checkHits(9, 7), await checkHits(5, 262144),
  ];
}
