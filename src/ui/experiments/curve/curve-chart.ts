// The learning curve's chart and table from its estimate: measured means with 95% intervals on a log axis of distinct
// examples, and the fitted curve drawn across the measured range only.
import * as Plot from '@observablehq/plot';
import { fittedLine, type CurveEstimate } from '../../../engine/experiments/curve/estimate';
import { curveReading, fitWords } from '../../../engine/experiments/curve/reading';

export interface CurveSlide {
  id: string;
  title: string;
  /** The heading of the chart's card on the panel (the chart carries the full title). */
  section: string;
  reading: string;
  fit: string;
  options: Plot.PlotOptions;
  rows: { n: number; value: string; seeds: number }[];
}

const LABEL = { loss: 'validation loss (answer tokens)', error: 'exact-match error (1 − exact match)' };

function value(metric: CurveEstimate['metric'], x: number): string {
  return metric === 'error' ? `${(100 * x).toFixed(1)}%` : x.toFixed(3);
}

export function curveSlide(estimate: CurveEstimate): CurveSlide {
  const { metric, points } = estimate;
  const line = fittedLine(estimate);
  return {
    id: `curve-${metric}`,
    title: `Learning curve: ${LABEL[metric]} vs distinct training examples`,
    section: metric === 'error' ? 'Exact match' : 'Validation loss',
    reading: curveReading(estimate),
    fit: fitWords(estimate),
    rows: points.map((p) => ({ n: p.n, value: `${value(metric, p.mean)} [${value(metric, p.lo)}, ${value(metric, p.hi)}]`, seeds: p.seeds })),
    options: {
      x: { label: 'distinct training examples', type: 'log', grid: true, ticks: points.map((p) => p.n), tickFormat: '~g' },
      y: { label: LABEL[metric], grid: true, ...(metric === 'error' ? { domain: [0, 1] } : { zero: false }) },
      color: { legend: true, domain: ['measured (mean, 95% interval)', 'fitted curve'], range: ['var(--accent, steelblue)', 'var(--warn, darkorange)'] },
      marks: [
        Plot.lineY(line, { x: 'n', y: 'y', stroke: () => 'fitted curve', strokeWidth: 2, strokeDasharray: '6 4' }),
        Plot.ruleX(points, { x: 'n', y1: 'lo', y2: 'hi', stroke: () => 'measured (mean, 95% interval)', strokeWidth: 2 }),
        Plot.dot(points, {
          x: 'n',
          y: 'mean',
          r: 4.5,
          fill: () => 'measured (mean, 95% interval)',
          title: (p: (typeof points)[number]) => `${p.n} distinct examples: ${value(metric, p.mean)} [${value(metric, p.lo)}, ${value(metric, p.hi)}] (${p.seeds} seed${p.seeds === 1 ? '' : 's'})`,
        }),
      ],
    },
  };
}
