// The experiment's charts as "slides": Observable Plot options, the reading and the table rows, all from stored cells.
import * as Plot from '@observablehq/plot';
import {
  cliffCurves, cliffReading, cliffStageReading, formatScore, PERPLEXITY_PROBE, phraseSplitSeries, saturationReading, saturationSeries, tradeoffReading, tradeoffSeries, tradeoffStageReading,
  type ExperimentSpec, type SeriesPoint, type StoredCell,
} from '../../engine/experiments';
import { perplexityReading } from '../../engine/experiments/reading';
import { dodgeLabels } from '../charts/dodge-labels';
import { paddedDomain } from '../charts/domain';
import { stepAxis } from '../charts/step-axis';
import { leakageSlides } from './leakage-slides';
import { distillSlides } from './distill-slides';
import { cohortSlides } from './cohort-slides';
import { judgeDriftSlides } from './judge-drift-slides';
import { embeddingGapSlides } from './embedding-gap-slides';
import { matchedSlides } from './matched-slides';
import { promptingSlides } from './prompting-slides';
import { ceilingSlides } from './ceiling-slides';

export interface TableRow {
  series: string;
  /** The x value, or the name of a group (a Cohorts run kind). */
  x: number | string;
  /** "0.82 [0.74, 0.90]": mean and 95% interval over seeds and eval items. */
  score: string;
  n: number;
  runIds: string[];
}

export interface Slide {
  id: string;
  title: string;
  options: Plot.PlotOptions;
  reading: string;
  /** A shorter reading for the presentation view, where the page's full one would not fit at 1280×720. */
  stageReading?: string;
  xLabel: string;
  rows: TableRow[];
  /** Resolved cohort regressions (the Cohorts preset), shown as warnings beside the chart. */
  warnings?: string[];
}

const KNOB_LABELS: Record<string, string> = {
  trainSize: 'training examples', labelNoise: 'label-noise rate', addedSize: 'added examples', steps: 'steps', rank: 'LoRA rank (0 = full FT)', lr: 'learning rate', replay: 'replay share', balance: 'cohort-balanced sampling', reweight: 'loss reweighting', shots: 'shots k',
};

function rowsOf(points: SeriesPoint[]): TableRow[] {
  return points.map((p) => ({ series: p.series, x: p.x, score: formatScore(p), n: p.n, runIds: p.runIds }));
}

function tip(p: SeriesPoint, xName: string): string {
  return `${p.series}, ${xName} ${p.x}: ${formatScore(p)} (${p.n} run${p.n === 1 ? '' : 's'})`;
}

function saturationSlide(spec: ExperimentSpec, cells: StoredCell[]): Slide {
  const points = saturationSeries(spec, cells);
  const clean = points.filter((p) => p.series === 'clean');
  const added = points.filter((p) => p.series !== 'clean');
  const knob = spec.axes[0]?.knob ?? 'trainSize';
  const xLabel = knob === 'trainSize' ? 'training examples (clean + added)' : KNOB_LABELS[knob];
  const addedStart = Math.min(...spec.extraCells.map((e) => e.trainSize ?? spec.fixed.trainSize));
  const xMax = Math.max(...points.map((p) => p.x), addedStart);
  const region = added.length && Number.isFinite(addedStart) ? [{ x1: addedStart, x2: xMax * 1.05 }] : [];
  // Seen- and unseen-phrase accuracy where a point has both kinds of items (#12): extra rows and hollow marks.
  const phrase = phraseSplitSeries(spec, cells).filter((p) => p.seen && p.unseen);
  const phrasePoints = phrase.flatMap((p) => [
    { ...p.seen!, series: `${p.series} · phrase trained`, x: p.x, values: [], runIds: p.runIds },
    { ...p.unseen!, series: `${p.series} · phrase not trained`, x: p.x, values: [], runIds: p.runIds },
  ]);
  return {
    id: 'saturation',
    title: `Saturation: held-out exact match on ${spec.target} vs training data`,
    xLabel,
    reading: saturationReading(spec, cells),
    rows: [...rowsOf(points), ...rowsOf(phrasePoints)],
    options: {
      // Ticks at the measured sizes: a log axis over 8–16 or 50–800 would otherwise label one or two round numbers.
      x: { label: xLabel, type: knob === 'trainSize' ? 'log' : 'linear', grid: true, ticks: [...new Set(points.map((p) => p.x))].sort((a, b) => a - b), tickFormat: '~g' },
      y: { label: `exact match on ${spec.target}`, domain: [0, 1], grid: true },
      symbol: { legend: true },
      marks: [
        Plot.rectX(region, { x1: 'x1', x2: 'x2', fill: 'var(--warn, orange)', fillOpacity: 0.12 }),
        Plot.text(region, { x: 'x2', y: 1, text: () => 'clean + added', textAnchor: 'end', lineAnchor: 'top', dx: -4, dy: 4, fill: 'currentColor' }),
        Plot.areaY(clean, { x: 'x', y1: 'lo', y2: 'hi', fill: 'var(--accent, steelblue)', fillOpacity: 0.18 }),
        Plot.lineY(clean, { x: 'x', y: 'mean', stroke: 'var(--accent, steelblue)', strokeWidth: 2 }),
        Plot.ruleX(points, { x: 'x', y1: 'lo', y2: 'hi', stroke: 'series' }),
        Plot.dot(points, { x: 'x', y: 'mean', symbol: 'series', stroke: 'series', fill: 'series', r: 4, title: (p: SeriesPoint) => tip(p, 'N') }),
        Plot.dot(phrasePoints, { x: 'x', y: 'mean', symbol: 'series', stroke: 'series', fill: 'none', r: 4, dx: 6, title: (p: SeriesPoint) => tip(p, 'N') }),
      ],
    },
  };
}

function curvesSlide(spec: ExperimentSpec, cells: StoredCell[], variant?: number, axisValue?: number): Slide {
  const points = cliffCurves(spec, cells, axisValue, variant, (probe) => probe !== PERPLEXITY_PROBE);
  const knob = spec.axes[0]?.knob;
  const second = spec.axes[1];
  const which = [knob ? `${knob} ${axisValue ?? spec.axes[0].values[0]}` : '', second ? `${second.knob} ${variant ?? second.values[0]}` : ''].filter(Boolean).join(', ');
  const ends = [...new Set(points.map((p) => p.series))].map((s) => points.filter((p) => p.series === s).at(-1)!);
  return {
    id: axisValue !== undefined ? `curves-at-${axisValue}` : variant === undefined ? 'curves' : `curves-${variant}`,
    title: `Generalization cliff: every probe over training steps${which ? ` (${which})` : ''}`,
    xLabel: 'step',
    reading: cliffReading(spec, cells, variant),
    // The chart plots one method: on stage the reading is that method's sentence (the page's has one per method).
    stageReading: (spec.axes[0]?.values.length ?? 0) > 1 ? cliffStageReading(spec, cells, axisValue ?? spec.axes[0].values[0], variant) : undefined,
    rows: rowsOf(points),
    options: {
      x: { ...stepAxis(points.map((p) => p.x)), label: 'training step', grid: true },
      y: { label: 'exact match', domain: [0, 1], grid: true },
      color: { legend: true },
      marks: [
        Plot.areaY(points, { x: 'x', y1: 'lo', y2: 'hi', fill: 'series', fillOpacity: 0.12 }),
        Plot.lineY(points, { x: 'x', y: 'mean', stroke: 'series', strokeWidth: (p: SeriesPoint) => (p.series === spec.target ? 3 : 1.5) }),
        Plot.dot(points, { x: 'x', y: 'mean', stroke: 'series', fill: 'series', r: 2.5, title: (p: SeriesPoint) => tip(p, 'step') }),
        // Skills that end at the same score would print their names on top of each other: they are stacked instead.
        Plot.text(ends, { x: 'x', y: 'mean', text: 'series', dx: 6, textAnchor: 'start', fill: 'series', render: dodgeLabels('start') }),
      ],
    },
  };
}

function perplexitySlide(spec: ExperimentSpec, cells: StoredCell[]): Slide {
  const points = cliffCurves(spec, cells, undefined, undefined, (probe) => probe === PERPLEXITY_PROBE);
  return {
    id: 'perplexity',
    title: 'General text: held-out perplexity over training steps (lower is better)',
    xLabel: 'step',
    reading: perplexityReading(spec, cells, PERPLEXITY_PROBE),
    rows: rowsOf(points),
    options: {
      x: { ...stepAxis(points.map((p) => p.x)), label: 'training step', grid: true },
      y: { label: 'perplexity', grid: true, zero: true },
      marks: [
        Plot.areaY(points, { x: 'x', y1: 'lo', y2: 'hi', fillOpacity: 0.15 }),
        Plot.lineY(points, { x: 'x', y: 'mean' }),
        Plot.dot(points, { x: 'x', y: 'mean', r: 2.5, title: (p: SeriesPoint) => tip(p, 'step') }),
      ],
    },
  };
}

function tradeoffSlide(spec: ExperimentSpec, cells: StoredCell[]): Slide {
  const points = tradeoffSeries(spec, cells);
  const knob = spec.axes[0]?.knob ?? 'rank';
  const name = (x: number, v?: number) => `${knob === 'rank' ? (x === 0 ? 'full FT' : `LoRA r${x}`) : `${knob} ${x}`}${v !== undefined ? ` · ${spec.axes[1].knob} ${v}` : ''}`;
  const data = points.map((p) => ({ ...p, name: name(p.x, p.variant), gainMean: p.gain.mean, lossMean: p.loss.mean }));
  // A change in exact match lies in [-1, 1]; zero (no change) stays in view, and no point sits in a corner.
  const domainOf = (s: 'gain' | 'loss') => paddedDomain(points.flatMap((p) => [p[s].mean, p[s].lo, p[s].hi]), { include: [0], pad: 0.12, minSpan: 0.1, clamp: [-1, 1] });
  return {
    id: 'tradeoff',
    title: `Learns vs forgets: gain on ${spec.target} against loss on the other skills`,
    xLabel: knob,
    reading: tradeoffReading(spec, cells),
    stageReading: tradeoffStageReading(spec, cells),
    rows: points.flatMap((p) => [
      { series: `gain on ${spec.target}${p.variant !== undefined ? ` · ${spec.axes[1].knob} ${p.variant}` : ''}`, x: p.x, score: formatScore(p.gain), n: p.gain.n, runIds: p.runIds },
      { series: `loss on the rest${p.variant !== undefined ? ` · ${spec.axes[1].knob} ${p.variant}` : ''}`, x: p.x, score: formatScore(p.loss), n: p.loss.n, runIds: p.runIds },
    ]),
    options: {
      x: { label: 'loss on the other skills, first to last eval', domain: domainOf('loss'), grid: true },
      y: { label: `gain on ${spec.target}, first to last eval`, domain: domainOf('gain'), grid: true },
      marks: [
        Plot.ruleX(data, { x: 'lossMean', y1: (d: (typeof data)[number]) => d.gain.lo, y2: (d: (typeof data)[number]) => d.gain.hi }),
        Plot.ruleY(data, { y: 'gainMean', x1: (d: (typeof data)[number]) => d.loss.lo, x2: (d: (typeof data)[number]) => d.loss.hi }),
        Plot.dot(data, { x: 'lossMean', y: 'gainMean', r: 5, fill: 'currentColor', title: (d: (typeof data)[number]) => `${d.name}: gain ${formatScore(d.gain)}, loss ${formatScore(d.loss)}` }),
        Plot.text(data, { x: 'lossMean', y: 'gainMean', text: 'name', lineAnchor: 'bottom', dy: -8, render: dodgeLabels('middle') }),
      ],
    },
  };
}

export function slidesOf(spec: ExperimentSpec, cells: StoredCell[]): Slide[] {
  if (spec.preset === 'leakage') return leakageSlides(spec, cells);
  if (spec.preset === 'distill') return distillSlides(spec, cells);
  if (spec.preset === 'cohorts' || spec.fixed.cohorts) return cohortSlides(spec, cells);
  if (spec.preset === 'judge-drift') return judgeDriftSlides(spec, cells);
  if (spec.embeddingGap) return embeddingGapSlides(spec, cells);
  if (spec.matched) return matchedSlides(spec, cells);
  if (spec.prompting) return promptingSlides(spec, cells);
  if (spec.ceiling) return ceilingSlides(spec, cells);
  if (spec.preset === 'saturation') return [saturationSlide(spec, cells)];
  const variants = spec.axes[1]?.values ?? [undefined];
  // Cliff with replay: one curves chart per replay share (its first axis), so the fix is seen beside the cliff.
  const curves = spec.preset === 'cliff-replay' ? (spec.axes[0]?.values ?? []).map((x) => curvesSlide(spec, cells, undefined, x)) : variants.map((v) => curvesSlide(spec, cells, v));
  const slides = [...curves, tradeoffSlide(spec, cells)];
  if (spec.adjacent.length) slides.push(perplexitySlide(spec, cells));
  return slides;
}
