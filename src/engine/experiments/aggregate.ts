// Mean and 95% confidence interval over seeds (Student's t), the error bars of every experiment chart.

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom; beyond that the normal 1.96. */
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function tQuantile975(degreesOfFreedom: number): number {
  return degreesOfFreedom >= 1 && degreesOfFreedom <= 30 ? T_975[degreesOfFreedom - 1] : 1.96;
}

export interface SeedSummary {
  mean: number;
  /** 95% interval of the mean; equal to [mean, mean] with one seed (no spread to measure). */
  lo: number;
  hi: number;
  /** Half the interval's width (0 with one seed). */
  halfWidth: number;
  n: number;
}

export function summarizeSeeds(values: readonly number[]): SeedSummary {
  const n = values.length;
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, halfWidth: NaN, n: 0 };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { mean, lo: mean, hi: mean, halfWidth: 0, n };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const halfWidth = (tQuantile975(n - 1) * Math.sqrt(variance)) / Math.sqrt(n);
  return { mean, lo: mean - halfWidth, hi: mean + halfWidth, halfWidth, n };
}
