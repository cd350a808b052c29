// The fitted learning curve: y ≈ a·n^(−b) + c in the number of distinct examples n (a power law with a floor c), or
// log-log linear (c = 0) when the floor is not identifiable from the measured points.
export interface CurvePoint {
  /** Distinct training examples. */
  n: number;
  /** The measured quantity that falls as data helps: validation loss, or the error rate (1 − exact match). */
  y: number;
}

/** 'floor': a·n^(−b) + c with c fitted; 'log-log': c = 0, a straight line in log n against log y. */
export type FitKind = 'floor' | 'log-log';

export interface CurveFit {
  kind: FitKind;
  a: number;
  b: number;
  c: number;
  /** Sum of squared residuals in y. */
  sse: number;
}

export function predict(fit: Pick<CurveFit, 'a' | 'b' | 'c'>, n: number): number {
  return fit.a * n ** -fit.b + fit.c;
}

/** What doubling the data from n is expected to take off y: ŷ(n) − ŷ(2n) = a·n^(−b)·(1 − 2^(−b)) (c cancels). */
export function doublingGain(fit: Pick<CurveFit, 'a' | 'b'>, n: number): number {
  return fit.a * n ** -fit.b * (1 - 2 ** -fit.b);
}

/** Least squares of ln(y − c) on ln n: the a and b of that c, and the SSE in y. */
function logLinear(points: readonly CurvePoint[], c: number): CurveFit {
  const xs = points.map((p) => Math.log(p.n));
  const zs = points.map((p) => Math.log(p.y - c));
  const K = points.length;
  const mx = xs.reduce((s, x) => s + x, 0) / K;
  const mz = zs.reduce((s, z) => s + z, 0) / K;
  let sxx = 0;
  let sxz = 0;
  for (let k = 0; k < K; k++) {
    sxx += (xs[k] - mx) ** 2;
    sxz += (xs[k] - mx) * (zs[k] - mz);
  }
  const slope = sxx > 0 ? sxz / sxx : 0;
  const fit = { kind: c === 0 ? 'log-log' : 'floor', a: Math.exp(mz - slope * mx), b: -slope, c, sse: 0 } as CurveFit;
  fit.sse = points.reduce((s, p) => s + (p.y - predict(fit, p.n)) ** 2, 0);
  return fit;
}

/** The fewest distinct sizes a floor is fitted from (three parameters need at least one point more to be checked). */
export const MIN_POINTS_FOR_FLOOR = 4;

/**
 * Fits the curve to points of distinct n (mean y per n). With at least MIN_POINTS_FOR_FLOOR sizes it tries a floor c
 * in (0, min y) by profiling: for each c the best a, b are a straight-line fit of ln(y − c) on ln n. The floor is kept
 * only when it is identifiable: strictly inside its range, with b > 0, and at most half the log-log fit's squared
 * error; otherwise the log-log line is the fit. `mode` forces one kind (the bootstrap refits the kind the data chose). Null when a y is not positive (log-log needs y > 0) or fewer than two sizes.
 */
export function fitCurve(points: readonly CurvePoint[], mode: 'auto' | FitKind = 'auto'): CurveFit | null {
  const sizes = new Set(points.map((p) => p.n));
  if (sizes.size < 2 || points.some((p) => !(p.y > 0) || !(p.n > 0))) return null;
  const line = logLinear(points, 0);
  if (mode === 'log-log' || (mode === 'auto' && sizes.size < MIN_POINTS_FOR_FLOOR)) return line;
  const top = Math.min(...points.map((p) => p.y));
  const sse = (c: number) => logLinear(points, c).sse;
  // A grid over [0, top), then golden-section search in the bracket around its best point.
  const G = 200;
  let best = 0;
  for (let g = 1; g < G; g++) if (sse((top * g) / G) < sse((top * best) / G)) best = g;
  let lo = (top * Math.max(0, best - 1)) / G;
  let hi = (top * Math.min(G - 1e-9, best + 1)) / G;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 100 && hi - lo > 1e-12 * top; i++) {
    const m1 = hi - phi * (hi - lo);
    const m2 = lo + phi * (hi - lo);
    if (sse(m1) <= sse(m2)) hi = m2;
    else lo = m1;
  }
  const floor = logLinear(points, (lo + hi) / 2);
  if (mode === 'floor') return floor;
  const interior = floor.c > 0.01 * top && floor.c < 0.99 * top;
  return interior && floor.b > 0 && floor.sse <= 0.5 * line.sse ? floor : line;
}
