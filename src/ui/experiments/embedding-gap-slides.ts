// The Embedding gap preset's charts as slides: recall@1 and nDCG@10 against the number of training pairs, base vs fine-tuned, with the paired gain in the table.
import * as Plot from '@observablehq/plot';
import { formatDifference, formatScore, type ExperimentSpec, type StoredCell } from '../../engine/experiments';
import type { MetricName } from '../../engine/embed/retrieval-metrics';
import { EMBEDDING_GAP_CHANCE } from '../../engine/experiments/embedding-gap/plan';
import { embeddingGapReading } from '../../engine/experiments/embedding-gap/reading';
import { embeddingGapSeries } from '../../engine/experiments/embedding-gap/series';
import type { Slide, TableRow } from './slides';

interface Mark {
  series: 'base' | 'fine-tuned';
  x: number;
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

const LABELS: Record<'recall@1' | 'ndcg@10', string> = { 'recall@1': 'recall@1', 'ndcg@10': 'nDCG@10' };

function metricSlide(spec: ExperimentSpec, cells: StoredCell[], metric: 'recall@1' | 'ndcg@10'): Slide {
  const label = LABELS[metric];
  const points = embeddingGapSeries(cells, metric as MetricName);
  const marks: Mark[] = points.flatMap((p) => [
    { series: 'base' as const, x: p.pairs, ...p.base },
    { series: 'fine-tuned' as const, x: p.pairs, ...p.tuned },
  ]);
  const runIdsAt = (pairs: number) => cells.filter((c) => c.settings.trainSize === pairs).map((c) => c.runId);
  const rows: TableRow[] = points.flatMap((p) => [
    { series: `base ${label}`, x: p.pairs, score: formatScore(p.base), n: p.seeds, runIds: runIdsAt(p.pairs) },
    { series: `fine-tuned ${label}`, x: p.pairs, score: formatScore(p.tuned), n: p.seeds, runIds: runIdsAt(p.pairs) },
    { series: 'gain (paired)', x: p.pairs, score: formatDifference(p.difference), n: p.seeds, runIds: runIdsAt(p.pairs) },
  ]);
  const chance = metric === 'recall@1' ? EMBEDDING_GAP_CHANCE : undefined;
  // A linear scale over log2(pairs): evenly spaced doublings, and every pair count labelled (a log scale's tick format
  // drops labels it does not deem round, such as 8).
  const ticks = [...new Set([...(spec.axes[0]?.values ?? []), ...points.map((p) => p.pairs)])].filter((n) => n > 0).sort((a, b) => a - b).map(Math.log2);
  const x = (m: Mark) => Math.log2(m.x);
  const tip = (m: Mark) => `${m.series}, ${m.x} pairs: ${formatScore(m)} (${m.n} seed${m.n === 1 ? '' : 's'})`;
  return {
    id: `embedding-gap-${metric === 'recall@1' ? 'recall' : 'ndcg'}`,
    title: `Embedding gap: ${label} on ${spec.evalItems} held-out tickets against the number of training pairs`,
    xLabel: 'training pairs',
    reading: embeddingGapReading(label, points, chance),
    stageReading: embeddingGapReading(label, points, chance, { short: true }),
    rows,
    options: {
      x: { label: 'training pairs (ticket → team page)', ticks, tickFormat: (d: number) => String(Math.round(2 ** d)), grid: true, domain: ticks.length ? [ticks[0] - 0.5, ticks.at(-1)! + 0.5] : undefined },
      y: { label: `${label} (held-out tickets)`, domain: [0, 1], grid: true },
      color: { legend: true, domain: ['base', 'fine-tuned'] },
      marks: [
        ...(chance !== undefined ? [Plot.ruleY([chance], { stroke: 'currentColor', strokeDasharray: '4 4', strokeOpacity: 0.6 }), Plot.text([chance], { y: (d: number) => d, x: ticks.at(-1) ?? 0, text: () => 'chance', dy: -7, textAnchor: 'end', frameAnchor: 'right' })] : []),
        // The two intervals at a pair count drawn a few pixels apart, so the base's does not hide the fine-tuned one's.
        ...(['base', 'fine-tuned'] as const).map((s, i) => Plot.ruleX(marks.filter((m) => m.series === s), { x, y1: 'lo', y2: 'hi', stroke: 'series', strokeWidth: 2, dx: i ? 3 : -3 })),
        Plot.lineY(marks, { x, y: 'mean', z: 'series', stroke: 'series', strokeWidth: 2 }),
        ...(['base', 'fine-tuned'] as const).map((s, i) => Plot.dot(marks.filter((m) => m.series === s), { x, y: 'mean', stroke: 'series', fill: 'series', r: 4, dx: i ? 3 : -3, title: tip })),
      ],
    },
  };
}

export function embeddingGapSlides(spec: ExperimentSpec, cells: StoredCell[]): Slide[] {
  return [metricSlide(spec, cells, 'recall@1'), metricSlide(spec, cells, 'ndcg@10')];
}
