// Chart data computed from stored cells: every point carries the run ids it was measured in and a two-level interval.
import { differenceOf, scoreOf, twoLevelBootstrap, type Estimate, type SeedItems } from './resample';
import type { CellEval, CellSettings, ExperimentSpec, KnobName, StoredCell } from './types';

/** One plotted mark: a mean over seeds with its interval (seeds and eval items resampled) and the runs that produced it. */
export interface SeriesPoint extends Estimate {
  series: string;
  x: number;
  /** Per-seed values in the order of runIds. */
  values: number[];
  runIds: string[];
}

/** A difference with its two-level interval and the per-seed differences behind it. */
export type Difference = Estimate & { values: number[] };

function isRatio(evals: readonly CellEval[], probe: string): boolean {
  return evals.some((e) => e.itemTokens?.[probe] !== undefined);
}

/**
 * One seed's rows for the probes: groups[g][i] = item i of probe g at each eval (columns in eval order), or for a
 * perplexity probe at one eval [negative log-likelihood, tokens]. A run without per-item values (or with item lists that
 * do not line up) counts as one item holding its score, so its interval covers seeds only.
 */
export function seedItems(evals: readonly CellEval[], probes: readonly string[]): SeedItems {
  return {
    groups: probes.map((probe) => {
      if (evals.length === 1 && isRatio(evals, probe)) {
        const nll = evals[0].items?.[probe] ?? [];
        const tokens = evals[0].itemTokens?.[probe] ?? [];
        if (nll.length && nll.length === tokens.length) return nll.map((v, i) => [v, tokens[i]]);
        return [[Math.log(evals[0].scores[probe]), 1]];
      }
      const lists = evals.map((e) => e.items?.[probe]);
      const n = lists[0]?.length ?? 0;
      if (n > 0 && lists.every((l) => l?.length === n)) return Array.from({ length: n }, (_, i) => lists.map((l) => l![i]));
      return [evals.map((e) => e.scores[probe] ?? NaN)];
    }),
  };
}

/** The score of one probe over seeds (one eval per seed): mean, and the interval over seeds and items. */
export function scoreEstimate(evals: readonly CellEval[], probe: string): Estimate {
  const ratio = isRatio(evals, probe);
  return twoLevelBootstrap(
    evals.map((e) => seedItems([e], [probe])),
    ratio ? (m) => Math.exp(m[0][0] / m[0][1]) : scoreOf(0),
    { clip: ratio ? [0, Infinity] : [0, 1] },
  );
}

/**
 * Paired difference `to − from` over seeds, each pair measured with the same seed on the same eval items (two evals
 * of one run, or the final evals of two cells of one seed), averaged over the probes.
 */
export function pairedDifference(pairs: readonly { from: CellEval; to: CellEval }[], probes: readonly string[]): Difference {
  const estimate = twoLevelBootstrap(
    pairs.map((p) => seedItems([p.from, p.to], probes)),
    differenceOf(0, 1),
    { clip: [-1, 1] },
  );
  const values = pairs.map((p) => probes.reduce((s, probe) => s + (p.to.scores[probe] ?? NaN) - (p.from.scores[probe] ?? NaN), 0) / probes.length);
  return { ...estimate, values };
}

/**
 * Paired change of a perplexity probe, `to − from` in perplexity, over seeds: each seed's items carry their negative
 * log-likelihood and token count at both evals, so resampling an item moves both.
 */
export function perplexityChange(pairs: readonly { from: CellEval; to: CellEval }[], probe: string): Difference {
  const rows = (e: CellEval) => seedItems([e], [probe]).groups[0];
  const estimate = twoLevelBootstrap(
    pairs.map((p) => {
      const [a, b] = [rows(p.from), rows(p.to)];
      return { groups: [a.length === b.length ? a.map((r, i) => [...r, ...b[i]]) : [[...a[0], ...b[0]]]] };
    }),
    (m) => Math.exp(m[0][2] / m[0][3]) - Math.exp(m[0][0] / m[0][1]),
  );
  return { ...estimate, values: pairs.map((p) => p.to.scores[probe] - p.from.scores[probe]) };
}

interface Measured {
  series: string;
  x: number;
  probe: string;
  at: CellEval;
  runId: string;
}

function group(points: Measured[]): SeriesPoint[] {
  const byKey = new Map<string, Measured[]>();
  for (const p of points) {
    const key = `${p.series}|${p.x}`;
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  return [...byKey.values()]
    .map((g) => ({
      series: g[0].series,
      x: g[0].x,
      values: g.map((p) => p.at.scores[p.probe]),
      runIds: g.map((p) => p.runId),
      ...scoreEstimate(g.map((p) => p.at), g[0].probe),
    }))
    .sort((a, b) => a.series.localeCompare(b.series) || a.x - b.x);
}

/** The last eval of a cell (its final score). */
export function finalEval(cell: StoredCell): CellEval {
  return cell.evals.at(-1) ?? { step: 0, scores: {} };
}

/** The saturation series of cells with an added pool of this kind. */
export function addedSeries(kind: CellSettings['addedKind']): string {
  return `added ${kind}`;
}

/** The saturation series a cell belongs to: 'clean', or the kind of its added pool. */
export function seriesOf(cell: StoredCell): string {
  return cell.settings.addedSize > 0 ? addedSeries(cell.settings.addedKind) : 'clean';
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
      series: seriesOf(c),
      x: knob === 'trainSize' ? c.settings.trainSize + c.settings.addedSize : (c.settings[knob] ?? 0),
      probe: spec.target,
      at: finalEval(c),
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
 * (default its first value) and `variant` on the second (default its first value), so runs of different settings never mix;
 * `keep` picks the probes (each point costs a bootstrap).
 */
export function cliffCurves(spec: ExperimentSpec, cells: StoredCell[], axisValue?: number, variant?: number, keep: (probe: string) => boolean = () => true): SeriesPoint[] {
  const knob = mainKnob(spec);
  const value = axisValue ?? spec.axes[0]?.values[0];
  const second = variant ?? spec.axes[1]?.values[0];
  const chosen = cells.filter((c) => (value === undefined || c.settings[knob] === value) && variantOf(spec, c) === second);
  return group(chosen.flatMap((c) => c.evals.flatMap((e) => Object.keys(e.scores).filter(keep).map((probe) => ({ series: probe, x: e.step, probe, at: e, runId: c.runId })))));
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
  /** Target score, last eval − first eval, paired per seed on the same items. */
  gain: Difference;
  /** Adjacent skills' mean, first eval − last eval (positive = forgotten), paired the same way. */
  loss: Difference;
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
      const adjacent = spec.adjacent.filter((s) => group.every((c) => s in c.evals[0].scores));
      const gain = pairedDifference(group.map((c) => ({ from: c.evals[0], to: c.evals.at(-1)! })), [spec.target]);
      const loss = pairedDifference(group.map((c) => ({ from: c.evals.at(-1)!, to: c.evals[0] })), adjacent);
      const point: TradeoffPoint = { x, gain, loss, runIds: group.map((c) => c.runId) };
      const variant = variantOf(spec, group[0]);
      if (variant !== undefined) point.variant = variant;
      return point;
    })
    .sort((a, b) => (a.variant ?? 0) - (b.variant ?? 0) || order(a.x) - order(b.x));
}

/** Seen- or unseen-phrase items of one probe at a cell's final eval, with that subset's score and item values. */
function phraseSubset(cell: StoredCell, probe: string, seen: boolean): CellEval | null {
  const at = finalEval(cell);
  const flags = cell.seenPhrase?.[probe];
  const values = at.items?.[probe];
  if (!flags || !values || flags.length !== values.length) return null;
  const picked = values.filter((_, i) => flags[i] === seen);
  if (picked.length === 0) return null;
  return { step: at.step, scores: { [probe]: picked.reduce((s, v) => s + v, 0) / picked.length }, items: { [probe]: picked } };
}

/** One point's seen- and unseen-phrase estimates (each absent when no run of the point has such items). */
export interface PhraseSplitPoint {
  series: string;
  x: number;
  seen: Estimate | null;
  unseen: Estimate | null;
  runIds: string[];
}

/**
 * Per saturation point, the final score of `probe` on the eval items whose ticket phrase the run trained on (under any
 * skill) and on the rest, over seeds and items (./seen-phrases): absent on cells stored before the flags were kept.
 */
export function phraseSplitSeries(spec: ExperimentSpec, cells: StoredCell[], probe: string = spec.target): PhraseSplitPoint[] {
  const knob = mainKnob(spec);
  const byKey = new Map<string, StoredCell[]>();
  for (const c of cells) {
    if (!c.seenPhrase?.[probe]) continue;
    const x = knob === 'trainSize' ? c.settings.trainSize + c.settings.addedSize : (c.settings[knob] as number);
    const key = `${seriesOf(c)}|${x}`;
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  }
  return [...byKey.entries()].map(([key, group]) => {
    const sorted = [...group].sort((a, b) => a.seed - b.seed);
    const [series, x] = key.split('|');
    const estimate = (seen: boolean) => {
      const evals = sorted.map((c) => phraseSubset(c, probe, seen)).filter((e): e is CellEval => e !== null);
      return evals.length ? scoreEstimate(evals, probe) : null;
    };
    return { series, x: Number(x), seen: estimate(true), unseen: estimate(false), runIds: sorted.map((c) => c.runId) };
  });
}
