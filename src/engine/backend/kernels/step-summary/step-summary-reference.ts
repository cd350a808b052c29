// CPU reference (float64) of the train step's summary: [loss, Σ g², correct].
export function stepSummaryReference(g: ArrayLike<number>, loss: number, correct: number): Float64Array {
  let sumSquares = 0;
  for (let i = 0; i < g.length; i++) sumSquares += g[i] * g[i];
  return Float64Array.of(loss, sumSquares, correct);
}
