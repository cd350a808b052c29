// The Prompting preset's slides: both arms' held-out exact match against the examples used (k shots, N fine-tuning
// examples) on one chart with intervals, and the cost side (prompt tokens per query, one-time training time).
import * as Plot from '@observablehq/plot';
import { formatDifference, formatScore, type ExperimentSpec, type StoredCell } from '../../engine/experiments';
import { promptingReading, promptingStageReading, costSentence, costStageReading, crossoverSentence } from '../../engine/experiments/prompting/reading';
import { armPoints, bestPrompting, crossoverOf, shotCosts, trainCosts, versusBest, type ArmPoint } from '../../engine/experiments/prompting/series';
import type { Slide } from './slides';

const ARM_NAMES = { prompting: 'prompting the base (k shots)', 'fine-tuning': 'LoRA fine-tuned (N examples), zero-shot' } as const;

interface Mark {
  series: string;
  x: number;
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

function marks(points: readonly ArmPoint[]): Mark[] {
  return points.map((p) => ({ series: ARM_NAMES[p.arm], x: p.x, mean: p.mean, lo: p.lo, hi: p.hi, n: p.n }));
}

function curvesSlide(spec: ExperimentSpec, cells: StoredCell[]): Slide {
  const points = armPoints(spec, cells);
  const data = marks(points);
  const best = bestPrompting(points);
  const versus = versusBest(spec, points);
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  return {
    id: 'prompting-curves',
    title: `Prompting vs fine-tuning: held-out exact match on ${spec.target} against the examples used`,
    xLabel: 'examples used (k shots or N fine-tuning examples)',
    reading: promptingReading(spec, cells),
    stageReading: promptingStageReading(spec, cells),
    rows: [
      ...points.map((p) => ({ series: ARM_NAMES[p.arm], x: p.x, score: formatScore(p), n: p.n, runIds: p.cells.map((c) => c.runId) })),
      ...versus.map((v) => ({ series: `fine-tuned − best prompting (k = ${v.k}), paired`, x: v.n, score: formatDifference(v.difference), n: v.seeds.length, runIds: [] })),
    ],
    options: {
      height: 360,
      // symlog: k = 0 and N = 512 on one axis; every measured x is a tick.
      x: { label: 'examples used: k solved lines in the prompt, or N fine-tuning examples', type: 'symlog', ticks: xs.length ? xs : [0, 1, 8, 512], tickFormat: 'd', grid: true },
      y: { label: `${spec.target} held-out exact match`, domain: [0, 1], grid: true },
      color: { legend: true, domain: Object.values(ARM_NAMES) },
      marks: [
        ...(best ? [Plot.ruleY([best.mean], { stroke: 'currentColor', strokeDasharray: '4 4', strokeOpacity: 0.6 })] : []),
        Plot.ruleX(data, { x: 'x', y1: 'lo', y2: 'hi', stroke: 'series', strokeWidth: 2 }),
        Plot.line(data, { x: 'x', y: 'mean', stroke: 'series', z: 'series' }),
        Plot.dot(data, { x: 'x', y: 'mean', stroke: 'series', fill: 'series', r: 5, title: (d: Mark) => `${d.series}, ${d.x}: ${formatScore(d)} (${d.n} run${d.n === 1 ? '' : 's'})` }),
      ],
    },
  };
}

function costSlide(spec: ExperimentSpec, cells: StoredCell[]): Slide {
  const points = armPoints(spec, cells);
  const shots = shotCosts(points);
  const train = trainCosts(points);
  const crossover = crossoverOf(versusBest(spec, points));
  const best = bestPrompting(points);
  const text = `${costSentence(crossover, shots, train, best)} ${crossoverSentence(crossover)}`;
  const data = shots.filter((s) => Number.isFinite(s.tokens));
  return {
    id: 'prompting-cost',
    title: `The cost side: prompt tokens per ${spec.target} query against one-time training`,
    xLabel: 'k shots, or N fine-tuning examples',
    reading: text,
    stageReading: costStageReading(crossover, shots, train, best),
    rows: [
      ...shots.map((s) => ({ series: 'prompt tokens per query (measured)', x: s.k, score: s.tokens.toFixed(1), n: points.find((p) => p.arm === 'prompting' && p.x === s.k)?.n ?? 0, runIds: [] })),
      ...train.map((t) => ({
        series: 'training seconds on this machine (laptop-GPU estimate)',
        x: t.n,
        score: `${t.trainSeconds.toFixed(0)} s (est. ${t.laptopSeconds[0].toFixed(1)}–${t.laptopSeconds[1].toFixed(1)} s)`,
        n: points.find((p) => p.arm === 'fine-tuning' && p.x === t.n)?.n ?? 0,
        runIds: [],
      })),
    ],
    options: {
      height: 300,
      x: { label: 'k solved lines before each prompt', ticks: data.map((d) => d.k), tickFormat: 'd', grid: true },
      y: { label: 'prompt tokens per query', zero: true, grid: true },
      marks: [
        Plot.line(data, { x: 'k', y: 'tokens' }),
        Plot.dot(data, { x: 'k', y: 'tokens', r: 5, fill: 'currentColor', title: (d: (typeof data)[number]) => `k = ${d.k}: ${d.tokens.toFixed(1)} prompt tokens per query` }),
        Plot.text(data, { x: 'k', y: 'tokens', text: (d: (typeof data)[number]) => d.tokens.toFixed(0), dy: -12 }),
      ],
    },
  };
}

export function promptingSlides(spec: ExperimentSpec, cells: StoredCell[]): Slide[] {
  return [curvesSlide(spec, cells), costSlide(spec, cells)];
}
