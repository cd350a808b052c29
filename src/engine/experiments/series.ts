// Chart data computed from stored cells: every point carries the run ids it was measured in.
import { summarizeSeeds, type SeedSummary } from './aggregate';
import type { CellSettings, ExperimentSpec, KnobName, StoredCell } from './types';

/** One plotted mark: a mean over seeds with its interval and the runs that produced it. */
export interface SeriesPoint extends SeedSummary {
  series: string;
  x: number;
  /** Per-seed values in the order of runIds. */
  values: number[];
  runIds: string[];
}

function group(points: { series: string; x: number; value: number; runId: string }[]): SeriesPoint[] {
  const byKey = new Map<string, { series: string; x: number; values: number[]; runIds: string[] }>();
  for (const p of points) {
    const key = `${p.series}|${p.x}`;
    const g = byKey.get(key) ?? { series: p.series, x: p.x, values: [], runIds: [] };
    g.values.push(p.value);
    g.runIds.push(p.runId);
    byKey.set(key, g);
  }
  return [...byKey.values()].map((g) => ({ ...g, ...summarizeSeeds(g.values) })).sort((a, b) => a.series.localeCompare(b.series) || a.x - b.x);
}

function finalScore(cell: StoredCell, probe: string): number {
  return cell.evals.at(-1)?.scores[probe] ?? NaN;
}

/** The saturation series of cells with an added pool of this kind. */
export function addedSeries(kind: CellSettings['addedKind']): string {
  return `added ${kind}`;
}

/** The knob on the first axis (what the main chart's x axis shows). */
export function mainKnob(spec: ExperimentSpec): KnobName {
  return spec.axes[0]?.knob ?? 'trainSize';
}

/**
 * Saturation: final target score vs the number of training examples (clean + added). Series 'clean' holds cells
 * without an added pool, 'added noisy' and 'added narrow' the rest by the kind of the added pool. With another knob on the axis, x is that knob's value.
 */
export function saturationSeries(spec: ExperimentSpec, cells: StoredCell[]): SeriesPoint[] {
  const knob = mainKnob(spec);
  return group(
    cells.map((c) => ({
      series: c.settings.addedSize > 0 ? addedSeries(c.settings.addedKind) : 'clean',
      x: knob === 'trainSize' ? c.settings.trainSize + c.settings.addedSize : c.settings[knob],
      value: finalScore(c, spec.target),
      runId: c.runId,
    })),
  );
}

/** The second axis's value of a cell (the variant it belongs to), or undefined with one axis. */
export function variantOf(spec: ExperimentSpec, cell: StoredCell): number | undefined {
  const second = spec.axes[1];
  return second ? (cell.settings[second.knob] as number) : undefined;
}

/**
 * Cliff curves: per probe, score vs step, for the cells at one point of the sweep: `axisValue` on the first axis
 * (default its first value) and `variant` on the second (default its first value), so runs of different settings never mix.
 */
export function cliffCurves(spec: ExperimentSpec, cells: StoredCell[], axisValue?: number, variant?: number): SeriesPoint[] {
  const knob = mainKnob(spec);
  const value = axisValue ?? spec.axes[0]?.values[0];
  const second = variant ?? spec.axes[1]?.values[0];
  const chosen = cells.filter((c) => (value === undefined || c.settings[knob] === value) && variantOf(spec, c) === second);
  return group(chosen.flatMap((c) => c.evals.flatMap((e) => Object.entries(e.scores).map(([probe, v]) => ({ series: probe, x: e.step, value: v, runId: c.runId })))));
}

/** Mean exact match over the adjacent skills (the perplexity probe is on another scale and is not one of them). */
export function adjacentMean(spec: ExperimentSpec, scores: Record<string, number>): number {
  const skills: string[] = spec.adjacent.filter((s) => s in scores);
  return skills.length ? skills.reduce((s, k) => s + scores[k], 0) / skills.length : NaN;
}

export interface TradeoffPoint {
  /** The axis value (rank: 0 = full fine-tuning). */
  x: number;
  /** The second axis's value, when the sweep has one. */
  variant?: number;
  gain: SeedSummary & { values: number[] };
  loss: SeedSummary & { values: number[] };
  runIds: string[];
}

/** Gain on the target vs loss on the adjacent skills (first eval → last eval of each run), per axis value. */
export function tradeoffSeries(spec: ExperimentSpec, cells: StoredCell[]): TradeoffPoint[] {
  const knob = mainKnob(spec);
  const byKey = new Map<string, StoredCell[]>();
  for (const c of cells) {
    if (c.evals.length < 2) continue;
    const key = `${c.settings[knob]}|${variantOf(spec, c) ?? ''}`;
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  }
  const order = (x: number) => (knob === 'rank' && x === 0 ? Infinity : x);
  return [...byKey.values()]
    .map((group) => {
      const x = group[0].settings[knob] as number;
      const gains = group.map((c) => c.evals.at(-1)!.scores[spec.target] - c.evals[0].scores[spec.target]);
      const losses = group.map((c) => adjacentMean(spec, c.evals[0].scores) - adjacentMean(spec, c.evals.at(-1)!.scores));
      const point: TradeoffPoint = { x, gain: { ...summarizeSeeds(gains), values: gains }, loss: { ...summarizeSeeds(losses), values: losses }, runIds: group.map((c) => c.runId) };
      const variant = variantOf(spec, group[0]);
      if (variant !== undefined) point.variant = variant;
      return point;
    })
    .sort((a, b) => (a.variant ?? 0) - (b.variant ?? 0) || order(a.x) - order(b.x));
}
