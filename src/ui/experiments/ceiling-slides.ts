// The Capability ceiling preset's chart as a slide: per base, fine-tuned held-out accuracy in the new phrasing (y) against
// the base's own FACT accuracy on the same facts before fine-tuning (x), intervals on both, chance as a line; the table per base.
import * as Plot from '@observablehq/plot';
import { formatDifference, formatScore, type ExperimentSpec, type StoredCell } from '../../engine/experiments';
import { ceilingReading, ceilingStageReading } from '../../engine/experiments/ceiling/reading';
import { baseLabel, ceilingPoints, type CeilingPoint } from '../../engine/experiments/ceiling/series';
import { dodgeLabels } from '../charts/dodge-labels';
import type { Slide } from './slides';

function tip(p: CeilingPoint): string {
  return `${baseLabel(p.base, p.parameters)}: FACT before ${formatScore(p.component)}, question after fine-tuning ${formatScore(p.after)} (${p.runIds.length} run${p.runIds.length === 1 ? '' : 's'})`;
}

function shortLabel(p: CeilingPoint): string {
  const name = p.base.replace(/^tiny-world-(ctx256-)?/, '');
  return p.parameters === null ? name : `${name} (${Math.round(p.parameters / 1000)}k params)`;
}

export function ceilingSlides(spec: ExperimentSpec, cells: StoredCell[]): Slide[] {
  const points = ceilingPoints(spec, cells);
  // On the chart a base is its short name and size ("70k-nofact (72k params)"); the table and reading name it in full.
  const data = points.map((p) => ({ ...p, x: p.component.mean, y: p.after.mean, name: shortLabel(p) }));
  const chance = points.length ? points.reduce((s, p) => s + p.chance, 0) / points.length : null;
  const rows = points.flatMap((p) => {
    const label = baseLabel(p.base, p.parameters);
    const runIds = p.runIds;
    const n = p.runIds.length;
    return [
      { series: label, x: 'FACT before fine-tuning (x)', score: formatScore(p.component), n, runIds },
      { series: label, x: 'question, before', score: formatScore(p.before), n, runIds },
      { series: label, x: 'question, after (y)', score: formatScore(p.after), n, runIds },
      { series: label, x: 'paired gain', score: formatDifference(p.gain), n, runIds },
      { series: label, x: 'question, trained entities (format)', score: formatScore(p.trained), n, runIds },
      { series: label, x: 'FACT after fine-tuning', score: formatScore(p.componentAfter), n, runIds },
      { series: label, x: 'chance', score: p.chance.toFixed(2), n, runIds },
    ];
  });
  return [
    {
      id: 'ceiling',
      title: 'Capability ceiling: what fine-tuning surfaces against what the base already knew',
      xLabel: 'measure',
      reading: ceilingReading(spec, cells),
      stageReading: ceilingStageReading(spec, cells),
      rows,
      options: {
        height: 380,
        x: { label: 'base’s FACT exact match on the held-out facts, before fine-tuning', domain: [0, 1], grid: true },
        y: { label: 'held-out facts asked as a question, after fine-tuning', domain: [0, 1], grid: true },
        marks: [
          // The diagonal: fine-tuning surfaced every held-out fact the base knew.
          Plot.line([[0, 0], [1, 1]], { stroke: 'currentColor', strokeOpacity: 0.25, strokeDasharray: '4 4' }),
          ...(chance === null ? [] : [Plot.ruleY([chance], { stroke: 'var(--warn, orange)', strokeDasharray: '6 3' }), Plot.text([chance], { x: 0.88, y: (c: number) => c, text: () => `chance ${chance.toFixed(2)}`, lineAnchor: 'top', dy: 3, fill: 'currentColor' })]),
          Plot.ruleX(data, { x: 'x', y1: (d: (typeof data)[number]) => d.after.lo, y2: (d: (typeof data)[number]) => d.after.hi, strokeWidth: 2 }),
          Plot.ruleY(data, { y: 'y', x1: (d: (typeof data)[number]) => d.component.lo, x2: (d: (typeof data)[number]) => d.component.hi, strokeWidth: 2 }),
          Plot.dot(data, { x: 'x', y: 'y', r: 6, fill: 'var(--accent, steelblue)', title: tip }),
          // Names beside their dots, toward the middle (a base near x = 1 would be cut off at the edge), moved apart where they would overlap.
          Plot.text(data.filter((d) => d.x <= 0.6), { x: 'x', y: 'y', text: 'name', textAnchor: 'start', dx: 10, render: dodgeLabels('start') }),
          Plot.text(data.filter((d) => d.x > 0.6), { x: 'x', y: 'y', text: 'name', textAnchor: 'end', dx: -10, render: dodgeLabels('end') }),
        ],
      },
    },
  ];
}
