// The matched-gain preset's charts as slides: forgetting at the stop (other skills' exact match, held-out perplexity) per method against its learning rate, only runs that reached the target; the reading from the same cells.
import * as Plot from '@observablehq/plot';
import { formatDifference, formatScore, type ExperimentSpec, type StoredCell } from '../../engine/experiments';
import { matchedReading } from '../../engine/experiments/matched/reading';
import { matchedComparisons, matchedPoints, type MatchedPoint } from '../../engine/experiments/matched/series';
import type { Slide } from './slides';

type Metric = 'forgetting' | 'perplexityRise';

interface Mark {
  method: string;
  lr: number;
  mean: number;
  lo: number;
  hi: number;
  label: string;
}

function marks(points: MatchedPoint[], metric: Metric): Mark[] {
  return points.flatMap((p) => {
    const d = p[metric];
    return d ? [{ method: p.method, lr: p.lr, mean: d.mean, lo: d.lo, hi: d.hi, label: `${p.reached.length}/${p.cells.length} reached` }] : [];
  });
}

function slide(spec: ExperimentSpec, cells: StoredCell[], metric: Metric, reading: string, stageReading: string): Slide {
  const points = matchedPoints(spec, cells);
  const data = marks(points, metric);
  const what = metric === 'forgetting' ? "loss on the other skills' exact match" : 'rise in held-out text perplexity';
  const lrs = [...new Set(points.map((p) => p.lr))].sort((a, b) => a - b);
  // Explicit domains: a sweep whose runs never reached the target has no mark, and Plot would infer a degenerate scale.
  const xDomain = lrs.length ? [lrs[0] / 2, lrs.at(-1)! * 2] : [1e-4, 1e-1];
  const ys = data.flatMap((d) => [d.lo, d.hi, d.mean]).filter(Number.isFinite);
  const yDomain = ys.length ? [Math.min(0, ...ys), Math.max(...ys) * 1.15 || 1] : [0, 1];
  return {
    id: metric === 'forgetting' ? 'matched-forgetting' : 'matched-perplexity',
    title: `Matched gain: ${what} when ${spec.target} reached ${spec.matched?.targetAccuracy} (dev)`,
    xLabel: 'learning rate',
    reading,
    stageReading,
    rows: points.map((p) => ({
      series: `${p.method} (${p.reached.length}/${p.cells.length} reached${p.stopSteps.length ? `, steps ${Math.min(...p.stopSteps)}–${Math.max(...p.stopSteps)}` : ''})`,
      x: Number(p.lr.toPrecision(3)),
      score: p[metric] ? formatScore(p[metric]!) : 'never reached',
      n: p.reached.length,
      runIds: p.cells.map((c) => c.runId),
    })),
    options: {
      x: { label: 'learning rate (full FT at 0.3 × the axis value)', type: 'log', domain: xDomain, ticks: lrs, tickFormat: '~g', grid: true },
      y: { label: `${what}, step 0 → stop`, domain: yDomain, grid: true },
      color: { legend: true, domain: [...new Set(points.map((p) => p.method))] },
      marks: [
        Plot.ruleY([0]),
        Plot.ruleX(data, { x: 'lr', y1: 'lo', y2: 'hi', stroke: 'method', strokeWidth: 2 }),
        Plot.dot(data, { x: 'lr', y: 'mean', stroke: 'method', fill: 'method', r: 5, title: (d: Mark) => `${d.method}, lr ${d.lr}: ${formatScore(d)} (${d.label})` }),
      ],
    },
  };
}

export function matchedSlides(spec: ExperimentSpec, cells: StoredCell[]): Slide[] {
  const reading = matchedReading(spec, cells);
  // The stage shows only the comparison (the page's full reading lists every run and would not fit at 1280×720).
  const comparisons = matchedComparisons(spec, cells);
  const short = comparisons.length
    ? comparisons.map((c) => `${c.lora.method} − full FT at matched gain (${c.seeds.length} seeds): forgetting ${formatDifference(c.forgetting)}${c.perplexity ? `, perplexity rise ${formatDifference(c.perplexity)}` : ''}; an interval that includes 0 is not resolved.`).join(' ')
    : reading;
  const slides = [slide(spec, cells, 'forgetting', reading, short)];
  if (spec.adjacent.length) slides.push(slide(spec, cells, 'perplexityRise', reading, short));
  return slides;
}
