// The Distillation preset's charts as slides: student and teacher exact match by teacher share, and the student's repeats of the teacher's errors against chance.
import * as Plot from '@observablehq/plot';
import { formatScore, type ExperimentSpec, type SeriesPoint, type StoredCell } from '../../engine/experiments';
import { distillReading } from '../../engine/experiments/distill/reading';
import { accuracyByShare, repeatsByShare, teacherLabel } from '../../engine/experiments/distill/series';
import type { Slide, TableRow } from './slides';

function rowsOf(points: SeriesPoint[]): TableRow[] {
  return points.map((p) => ({ series: p.series, x: p.x, score: formatScore(p), n: p.n, runIds: p.runIds }));
}

function tip(p: SeriesPoint): string {
  return `${p.series}, ${teacherLabel(p.x)}: ${formatScore(p)} (${p.n} run${p.n === 1 ? '' : 's'})`;
}

const xAxis = (points: SeriesPoint[]): Plot.ScaleOptions => ({
  label: 'share of the teacher’s answers that are wrong',
  ticks: [...new Set(points.map((p) => p.x))].sort((a, b) => a - b),
  tickFormat: (d: number) => `${Math.round(d * 100)}%`,
  grid: true,
});

function accuracySlide(spec: ExperimentSpec, cells: StoredCell[]): Slide {
  const points = accuracyByShare(spec, cells);
  return {
    id: 'distill-accuracy',
    title: `Distillation: student and teacher exact match on held-out ${spec.target} items`,
    xLabel: 'teacher’s wrong share',
    reading: distillReading(spec, cells, 'accuracy'),
    rows: rowsOf(points),
    options: {
      x: xAxis(points),
      y: { label: 'exact match (held-out)', domain: [0, 1], grid: true },
      color: { legend: true },
      marks: [
        Plot.ruleX(points, { x: 'x', y1: 'lo', y2: 'hi', stroke: 'series', strokeWidth: 2 }),
        Plot.lineY(points, { x: 'x', y: 'mean', z: 'series', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(points, { x: 'x', y: 'mean', stroke: 'series', fill: 'series', r: 4, title: tip }),
      ],
    },
  };
}

function repeatsSlide(spec: ExperimentSpec, cells: StoredCell[]): Slide {
  const points = repeatsByShare(spec, cells);
  return {
    id: 'distill-repeats',
    title: 'Distillation: how often the student gives the teacher’s wrong answer',
    xLabel: 'teacher’s wrong share',
    reading: distillReading(spec, cells, 'repeats'),
    rows: rowsOf(points),
    options: {
      x: xAxis(points),
      y: { label: 'share of items', domain: [0, 1], grid: true },
      color: { legend: true },
      marks: [
        Plot.ruleX(points, { x: 'x', y1: 'lo', y2: 'hi', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(points, { x: 'x', y: 'mean', stroke: 'series', fill: 'series', r: 4, title: tip }),
      ],
    },
  };
}

export function distillSlides(spec: ExperimentSpec, cells: StoredCell[]): Slide[] {
  return [accuracySlide(spec, cells), repeatsSlide(spec, cells)];
}
