// Float64 CPU reference of the embedding lookup's gradient (a scatter-add of dy rows), for its check and tests.
/** CPU reference of the gradient: dTable[v] = Σ over n with ids[n] = v of dy[n], in float64. */
export function embeddingGradReference(ids: ArrayLike<number>, dy: Float32Array, V: number, C: number): Float64Array {
  const out = new Float64Array(V * C);
  for (let n = 0; n < ids.length; n++) for (let c = 0; c < C; c++) out[ids[n] * C + c] += dy[n * C + c];
  return out;
}
