// The x axis of every over-training-steps chart: whole steps only (Plot's default ticks at 1.5, 2.5 … would print as repeated integers).
import type * as Plot from '@observablehq/plot';

/** Plot x-axis options for step counts; `steps` are the plotted x values. */
export function stepAxis(steps: readonly number[]): Plot.ScaleOptions {
  const max = Math.max(0, ...steps);
  const min = Math.min(max, ...steps);
  // Few steps: one tick per whole step. More: Plot's own nice ticks, which are whole numbers at that range.
  if (max - min > 10) return { label: 'step', tickFormat: 'd' };
  const ticks: number[] = [];
  for (let s = Math.floor(min); s <= max; s++) ticks.push(s);
  return { label: 'step', tickFormat: 'd', ticks };
}
