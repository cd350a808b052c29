// Plain float64 loops for LayerNorm and RMSNorm over the last axis, forward and backward (dx, dgamma, dbeta).

export interface NormRefResult {
  y: Float64Array;
  dx: Float64Array;
  dgamma: Float64Array;
  dbeta: Float64Array;
}

/** x [N, C]; gamma, beta [C] (beta ignored for RMSNorm); dy [N, C] is the upstream gradient. */
export function normRef(x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number> | null, dy: ArrayLike<number>, N: number, C: number, eps: number, rms: boolean): NormRefResult {
  const y = new Float64Array(N * C);
  const dx = new Float64Array(N * C);
  const dgamma = new Float64Array(C);
  const dbeta = new Float64Array(C);
  const xhat = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    let mean = 0;
    if (!rms) {
      for (let c = 0; c < C; c++) mean += x[n * C + c];
      mean /= C;
    }
    let ss = 0;
    for (let c = 0; c < C; c++) ss += (x[n * C + c] - mean) ** 2;
    const r = 1 / Math.sqrt(ss / C + eps);
    let meanG = 0;
    let meanGX = 0;
    for (let c = 0; c < C; c++) {
      const i = n * C + c;
      xhat[c] = (x[i] - mean) * r;
      y[i] = xhat[c] * gamma[c] + (beta && !rms ? beta[c] : 0);
      const g = dy[i] * gamma[c];
      meanG += g / C;
      meanGX += (g * xhat[c]) / C;
      dgamma[c] += dy[i] * xhat[c];
      dbeta[c] += dy[i];
    }
    for (let c = 0; c < C; c++) {
      const i = n * C + c;
      dx[i] = r * (dy[i] * gamma[c] - (rms ? 0 : meanG) - xhat[c] * meanGX);
    }
  }
  return { y, dx, dgamma, dbeta };
}
