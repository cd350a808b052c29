// Axis domains that keep every point (and its error bar) away from the frame's corners.

export interface PaddedDomainOptions {
  /** Values the domain must contain besides the data, e.g. 0 for a change (no gain, no loss). */
  include?: readonly number[];
  /** Share of the span added on each side. */
  pad?: number;
  /** Smallest span shown, so that near-equal values do not fill the chart with noise. */
  minSpan?: number;
  /** Hard limits of the quantity, e.g. [-1, 1] for a change in exact match. */
  clamp?: readonly [number, number];
}

/** [lo, hi] around the finite values, padded on both sides and at least `minSpan` wide, within `clamp`. */
export function paddedDomain(values: readonly number[], { include = [], pad = 0.1, minSpan = 0, clamp }: PaddedDomainOptions = {}): [number, number] {
  const finite = [...values, ...include].filter(Number.isFinite);
  if (finite.length === 0) return clamp ? [clamp[0], clamp[1]] : [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < minSpan) {
    const mid = (lo + hi) / 2;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
  }
  const margin = (hi - lo) * pad || 0.5;
  lo -= margin;
  hi += margin;
  if (clamp) {
    lo = Math.max(clamp[0], lo);
    hi = Math.min(clamp[1], hi);
  }
  return [lo, hi];
}
