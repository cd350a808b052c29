// The Judge drift preset's charts as slides: the judge's opinion against exact match over rounds for both arms, and exact match on the judge's blind spot.
import * as Plot from '@observablehq/plot';
import { formatScore, type ExperimentSpec, type StoredCell } from '../../engine/experiments';
import { judgeDriftReading, judgeDriftStageReading } from '../../engine/experiments/judge-drift/reading';
import { driftSeries, type DriftMetric, type DriftPoint } from '../../engine/experiments/judge-drift/series';
import type { DriftArm } from '../../engine/experiments/judge-drift/spec';
import type { Slide, TableRow } from './slides';

const ARM_WORDS: Record<DriftArm, string> = { judge: "judge's picks", gold: 'gold control' };
/** Shorter names for the chart's legend, so its four series take two lines on the stage at 1280×720 (the table keeps the long ones). */
const ARM_SHORT: Record<DriftArm, string> = { judge: "judge's picks", gold: 'gold control' };
const METRIC_SHORT: Record<DriftMetric, string> = { exact: 'exact match', judge: "judge's score", 'exact-corrupted': 'billing tickets', 'exact-other': 'other tickets' };
const METRIC_WORDS: Record<DriftMetric, string> = {
  exact: 'exact match (truth)',
  judge: "judge's win rate over round 0 (its opinion)",
  'exact-corrupted': 'exact match, billing tickets',
  'exact-other': 'exact match, other tickets',
};

interface Row {
  series: string;
  /** The legend's name of the series. */
  label: string;
  x: number;
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

function rowsOf(points: DriftPoint[], metrics: DriftMetric[], cells: StoredCell[]): { plotted: Row[]; table: TableRow[] } {
  const plotted = points
    .filter((p) => metrics.includes(p.metric) && Number.isFinite(p.estimate.mean))
    .map((p) => ({ series: `${ARM_WORDS[p.arm]} · ${METRIC_WORDS[p.metric]}`, label: `${ARM_SHORT[p.arm]} · ${METRIC_SHORT[p.metric]}`, x: p.round, mean: p.estimate.mean, lo: p.estimate.lo, hi: p.estimate.hi, n: p.estimate.n }));
  const runIds = cells.map((c) => c.runId);
  return { plotted, table: plotted.map((r) => ({ series: r.series, x: r.x, score: formatScore(r), n: r.n, runIds })) };
}

function roundsSlide(id: string, title: string, reading: string, stageReading: string, points: DriftPoint[], metrics: DriftMetric[], cells: StoredCell[], rounds: number): Slide {
  const { plotted, table } = rowsOf(points, metrics, cells);
  return {
    id,
    title,
    xLabel: 'round',
    reading,
    stageReading,
    rows: table,
    options: {
      x: { label: 'round (0 = the SFT student)', ticks: Array.from({ length: rounds + 1 }, (_, r) => r), tickFormat: (d: number) => String(d), grid: true },
      y: { label: 'share of held-out items', domain: [0, 1], grid: true },
      color: { legend: true, domain: [...new Set(plotted.map((p) => p.label))] },
      marks: [
        Plot.areaY(plotted, { x: 'x', y1: 'lo', y2: 'hi', fill: 'label', z: 'label', fillOpacity: 0.1 }),
        Plot.lineY(plotted, { x: 'x', y: 'mean', stroke: 'label', z: 'label', strokeWidth: 2 }),
        Plot.dot(plotted, { x: 'x', y: 'mean', stroke: 'label', fill: 'label', r: 3, title: (r: Row) => `${r.series}, round ${r.x}: ${formatScore(r)} (${r.n} seed${r.n === 1 ? '' : 's'})` }),
      ],
    },
  };
}

export function judgeDriftSlides(spec: ExperimentSpec, cells: StoredCell[]): Slide[] {
  const drift = spec.judgeDrift;
  if (!drift) return [];
  const points = driftSeries(cells);
  const reading = judgeDriftReading(drift, cells).join(' ');
  return [
    roundsSlide('judge-drift-rounds', "Judge drift: the judge's opinion against the truth", reading, judgeDriftStageReading(drift, cells, 'overall'), points, ['exact', 'judge'], cells, drift.rounds),
    roundsSlide(
      'judge-drift-blind-spot',
      `Judge drift: exact match on the judge's blind spot`,
      `The judge was fine-tuned to label every ${drift.corrupt.from} ticket “${drift.corrupt.to}”. ${reading}`,
      judgeDriftStageReading(drift, cells, 'blind-spot'),
      points,
      ['exact-corrupted', 'exact-other'],
      cells,
      drift.rounds,
    ),
  ];
}
