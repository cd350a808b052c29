// Plain float64 loops for weighted softmax cross-entropy, its gradient, and the weighted argmax hit count.

/** Σₙ wₙ·(logsumexp(xₙ) − xₙ[tₙ]) / denominator, and d loss / d logits scaled by dy. logits [N, V]. */
export function softmaxCrossEntropyRef(
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  weights: ArrayLike<number>,
  N: number,
  V: number,
  denominator: number,
  dy = 1,
): { loss: number; grad: Float64Array } {
  let loss = 0;
  const grad = new Float64Array(N * V);
  for (let n = 0; n < N; n++) {
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[n * V + v]);
    let sum = 0;
    for (let v = 0; v < V; v++) sum += Math.exp(logits[n * V + v] - max);
    const lse = max + Math.log(sum);
    loss += weights[n] * (lse - logits[n * V + targets[n]]);
    for (let v = 0; v < V; v++) {
      const p = Math.exp(logits[n * V + v] - lse);
      grad[n * V + v] = (p - (v === targets[n] ? 1 : 0)) * weights[n] * dy / denominator;
    }
  }
  return { loss: loss / denominator, grad };
}

/** Rows whose first maximum is at the target and whose weight is positive. */
export function weightedArgmaxHitsRef(logits: ArrayLike<number>, targets: ArrayLike<number>, weights: ArrayLike<number>, N: number, V: number): number {
  let hits = 0;
  for (let n = 0; n < N; n++) {
    let arg = 0;
    for (let v = 1; v < V; v++) if (logits[n * V + v] > logits[n * V + arg]) arg = v;
    if (arg === targets[n] && weights[n] > 0) hits++;
  }
  return hits;
}
