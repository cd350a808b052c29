// The Leakage preset's charts as slides: exposure against repetitions, exposure over steps per method, MIA AUC over epochs.
import * as Plot from '@observablehq/plot';
import { formatScore, type ExperimentSpec, type SeriesPoint, type StoredCell } from '../../engine/experiments';
import { exposureReading, exposureStageReading, exposureStepsReading, exposureStepsStageReading, miaReading, miaStageReading } from '../../engine/experiments/leakage/reading';
import { exposureByRepetitions, exposureOverSteps, maxExposure, methodLabel, methodsOf, miaOverEpochs } from '../../engine/experiments/leakage/series';
import { stepAxis } from '../charts/step-axis';
import type { Slide, TableRow } from './slides';

function rowsOf(points: SeriesPoint[]): TableRow[] {
  return points.map((p) => ({ series: p.series, x: p.x, score: formatScore(p), n: p.n, runIds: p.runIds }));
}

function tip(p: SeriesPoint, xName: string): string {
  return `${p.series}, ${xName} ${p.x}: ${formatScore(p)} (${p.n} run${p.n === 1 ? '' : 's'})`;
}

function yExposure(cells: StoredCell[]): Plot.ScaleOptions {
  const top = maxExposure(cells);
  return { label: 'exposure (bits)', domain: [0, Number.isFinite(top) ? Math.ceil(top) : 1], grid: true };
}

function repetitionsSlide(spec: ExperimentSpec, cells: StoredCell[]): Slide {
  const points = exposureByRepetitions(spec, cells);
  const inserted = points.filter((p) => p.x > 0);
  // The controls were never inserted (x = 0, off a log axis): a dashed level per method instead of a point.
  const controls = points.filter((p) => p.x === 0).map((p) => ({ ...p, series: p.series.split(' · ')[0] }));
  const counts = spec.leakage?.repetitions ?? [];
  return {
    id: 'leakage-repetitions',
    title: 'Leakage: canary exposure against how often it was seen',
    xLabel: 'repetitions (0 = never inserted)',
    reading: exposureReading(spec, cells),
    stageReading: exposureStageReading(spec, cells),
    rows: rowsOf(points),
    options: {
      x: { label: 'times the canary was in the training data', type: 'log', base: 2, ticks: counts, tickFormat: (d: number) => `${d}×`, grid: true },
      y: yExposure(cells),
      color: { legend: true },
      marks: [
        Plot.ruleY(controls, { y: 'mean', stroke: 'series', strokeDasharray: '4,4' }),
        // One label for the dashed levels (each method's would print on top of the other's).
        Plot.text(controls.slice(0, 1), { x: counts[counts.length - 1], y: () => Math.max(...controls.map((c) => c.mean)), text: () => 'never inserted (dashed)', textAnchor: 'end', dy: -8, fill: 'currentColor' }),
        Plot.ruleX(inserted, { x: 'x', y1: 'lo', y2: 'hi', stroke: 'series' }),
        Plot.lineY(inserted, { x: 'x', y: 'mean', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(inserted, { x: 'x', y: 'mean', stroke: 'series', fill: 'series', r: 4, title: (p: SeriesPoint) => tip(p, 'repetitions') }),
      ],
    },
  };
}

function stepsSlide(spec: ExperimentSpec, cells: StoredCell[], method: number): Slide {
  const points = exposureOverSteps(spec, cells, method);
  return {
    id: `leakage-steps-${method}`,
    title: `Leakage: exposure over training steps (${methodLabel(spec, method)})`,
    xLabel: 'step',
    reading: exposureStepsReading(spec, cells, method),
    stageReading: exposureStepsStageReading(spec, cells, method),
    rows: rowsOf(points),
    options: {
      x: { ...stepAxis(points.map((p) => p.x)), label: 'training step', grid: true },
      y: yExposure(cells),
      color: { legend: true, domain: [...new Set(points.map((p) => p.series))] },
      marks: [
        Plot.areaY(points, { x: 'x', y1: 'lo', y2: 'hi', fill: 'series', fillOpacity: 0.1 }),
        Plot.lineY(points, { x: 'x', y: 'mean', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(points, { x: 'x', y: 'mean', stroke: 'series', fill: 'series', r: 2.5, title: (p: SeriesPoint) => tip(p, 'step') }),
      ],
    },
  };
}

function miaSlide(spec: ExperimentSpec, cells: StoredCell[]): Slide {
  const points = miaOverEpochs(spec, cells);
  return {
    id: 'leakage-mia',
    title: 'Leakage: membership-inference AUC over epochs (0.5 = guessing)',
    xLabel: 'epochs',
    reading: miaReading(spec, cells),
    stageReading: miaStageReading(spec, cells),
    rows: rowsOf(points),
    options: {
      x: { label: 'epochs of training data seen', grid: true },
      y: { label: 'AUC', domain: [0.3, 1], grid: true },
      color: { legend: true },
      marks: [
        Plot.ruleY([0.5], { strokeDasharray: '4,4' }),
        Plot.areaY(points, { x: 'x', y1: 'lo', y2: 'hi', fill: 'series', fillOpacity: 0.1 }),
        Plot.lineY(points, { x: 'x', y: 'mean', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(points, { x: 'x', y: 'mean', stroke: 'series', fill: 'series', r: 2.5, title: (p: SeriesPoint) => tip(p, 'epoch') }),
      ],
    },
  };
}

export function leakageSlides(spec: ExperimentSpec, cells: StoredCell[]): Slide[] {
  const methods = methodsOf(spec, cells);
  return [repetitionsSlide(spec, cells), ...(methods.length ? methods : (spec.axes[0]?.values ?? [])).map((m) => stepsSlide(spec, cells, m)), miaSlide(spec, cells)];
}
