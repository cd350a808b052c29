// The top-k reference: each row's columns sorted by value (descending), ties by the lower column, in float64; brute force.
export function topkRef(scores: ArrayLike<number>, rows: number, n: number, k: number): { values: number[]; indices: number[] } {
  const values: number[] = [];
  const indices: number[] = [];
  for (let r = 0; r < rows; r++) {
    const order = Array.from({ length: n }, (_, c) => c).sort((a, b) => scores[r * n + b] - scores[r * n + a] || a - b);
    for (const c of order.slice(0, k)) {
      values.push(scores[r * n + c]);
      indices.push(c);
    }
  }
  return { values, indices };
}
