// Skew-normal fit (method of moments) and its log-CDF, for the sampled exposure estimate of Carlini et al. 2019 §4.3.

export interface SkewNormal {
  /** Location ξ, scale ω, shape α. */
  xi: number;
  omega: number;
  alpha: number;
}

/** log Φ(x) with good relative accuracy far into the lower tail (Numerical Recipes' erfc Chebyshev fit, rel. err. < 1.2e-7). */
export function logNormalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const logErfc = Math.log(t) + poly; // log erfc(z)
  // Φ(x) = erfc(-x/√2)/2: for x < 0 that is erfc(|x|/√2)/2; for x ≥ 0, 1 − erfc(|x|/√2)/2.
  return x < 0 ? logErfc - Math.LN2 : Math.log1p(-Math.exp(logErfc) / 2);
}

/** Method-of-moments fit; the sample skewness is clamped inside the skew-normal's range (|γ| < 0.995). */
export function fitSkewNormal(samples: ArrayLike<number>): SkewNormal {
  const n = samples.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples[i];
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = samples[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  const sd = Math.sqrt(m2);
  const g = sd > 0 ? Math.max(-0.995, Math.min(0.995, m3 / (sd * sd * sd))) : 0;
  const g23 = Math.pow(Math.abs(g), 2 / 3);
  const delta = Math.sign(g) * Math.sqrt((Math.PI / 2) * (g23 / (g23 + Math.pow((4 - Math.PI) / 2, 2 / 3))));
  const omega = sd / Math.sqrt(1 - (2 * delta * delta) / Math.PI);
  return { xi: mean - omega * delta * Math.sqrt(2 / Math.PI), omega: omega || 1e-12, alpha: delta / Math.sqrt(1 - delta * delta) };
}

/**
 * log P(X ≤ x) for the skew-normal, by integrating its density 2φ(t)Φ(αt) in log space with Simpson's rule (no
 * cancellation in the far tail, where the exposure estimate lives). The upper side uses 1 − P(X > x).
 */
export function skewNormalLogCdf(d: SkewNormal, x: number): number {
  const z = (x - d.xi) / d.omega;
  const logDensity = (t: number) => Math.LN2 - 0.5 * t * t - 0.5 * Math.log(2 * Math.PI) + logNormalCdf(d.alpha * t);
  const logIntegral = (a: number, b: number) => {
    const steps = 4000;
    const h = (b - a) / steps;
    const logs = new Float64Array(steps + 1);
    let max = -Infinity;
    for (let i = 0; i <= steps; i++) {
      logs[i] = logDensity(a + i * h);
      if (logs[i] > max) max = logs[i];
    }
    if (max === -Infinity) return -Infinity;
    let s = 0;
    for (let i = 0; i <= steps; i++) s += (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2) * Math.exp(logs[i] - max);
    return max + Math.log((s * h) / 3);
  };
  if (z <= 0) return logIntegral(z - 40, z);
  const upper = Math.exp(logIntegral(z, z + 40));
  return Math.log1p(-Math.min(upper, 1));
}
