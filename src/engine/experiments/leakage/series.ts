// Leakage chart data from stored cells: exposure against repetitions and over steps, membership-inference AUC over
// epochs; every point a mean over seeds with a two-level interval (seeds, then canaries or records within a seed).
import { differenceOf, scoreOf, twoLevelBootstrap, type Estimate, type SeedItems, type SeedStatistic } from '../resample';
import { mainKnob, type SeriesPoint } from '../series';
import type { CanaryPoint, CellEval, ExperimentSpec, LeakageEval, MiaScores, StoredCell } from '../types';
import { aucOf, tprAtFpr } from '../../privacy/mia';
import { aucBootstrap } from './auc-bootstrap';
import { MIA_CALIBRATED_KEY, MIA_LOSS_KEY } from './keys';

export const CONTROL_SERIES = 'never inserted';
export type Attack = 'loss' | 'calibrated';

/** "LoRA r8", "full FT", or "lr 0.001" when the first axis varies another setting. */
export function methodLabel(spec: ExperimentSpec, value: number): string {
  const knob = mainKnob(spec);
  if (knob !== 'rank') return `${knob} ${value}`;
  return value === 0 ? 'full FT' : `LoRA r${value}`;
}

/** The first axis's values that have finished cells, in the axis's order. */
export function methodsOf(spec: ExperimentSpec, cells: readonly StoredCell[]): number[] {
  const knob = mainKnob(spec);
  const values = spec.axes[0]?.values ?? [spec.fixed[knob] as number];
  return values.filter((v) => cells.some((c) => c.settings[knob] === v));
}

/**
 * A method's finished runs in seed order: the bootstrap draws seeds by position, so the page (cells in storage order)
 * and the results script (cells in file order) give the same intervals only from one canonical order.
 */
export function cellsOf(spec: ExperimentSpec, cells: readonly StoredCell[], method: number): StoredCell[] {
  const knob = mainKnob(spec);
  return cells.filter((c) => c.settings[knob] === method && c.evals.some((e) => e.leakage?.canaries.length)).sort((a, b) => a.seed - b.seed);
}

/** The last checkpoint of a cell where exposure was measured. */
export function lastExposureEval(cell: StoredCell): CellEval & { leakage: LeakageEval } {
  return cell.evals.filter((e): e is CellEval & { leakage: LeakageEval } => !!e.leakage?.canaries.length).at(-1)!;
}

/** Exposures of the canaries inserted r times (0 = controls) at one checkpoint, one row per canary. */
export function exposuresAt(point: LeakageEval, repetitions: number): number[][] {
  return point.canaries.filter((c: CanaryPoint) => c.repetitions === repetitions).map((c) => [c.exposure]);
}

/** The bits a secret of |R| candidates can reach: log2 |R|. */
export function maxExposure(cells: readonly StoredCell[]): number {
  const point = cells.flatMap((c) => c.evals).find((e) => e.leakage)?.leakage;
  return point ? Math.log2(point.candidates) : NaN;
}

function exposureEstimate(units: SeedItems[], cells: readonly StoredCell[], statistic: SeedStatistic = scoreOf(0), difference = false): Estimate {
  const top = maxExposure(cells);
  return twoLevelBootstrap(units, statistic, { clip: difference ? [-top, top] : [0, top] });
}

function point(series: string, x: number, cells: StoredCell[], estimate: Estimate, values: number[]): SeriesPoint {
  return { series, x, values, runIds: cells.map((c) => c.runId), ...estimate };
}

function meanOf(rows: number[][]): number {
  return rows.reduce((s, r) => s + r[0], 0) / rows.length;
}

/** Mean exposure of the canaries inserted r times at the last checkpoint, per method; r = 0 gives the controls. */
export function exposureAtRepetitions(spec: ExperimentSpec, cells: readonly StoredCell[], method: number, repetitions: number): SeriesPoint | null {
  const runs = cellsOf(spec, cells, method).filter((c) => exposuresAt(lastExposureEval(c).leakage, repetitions).length > 0);
  if (!runs.length) return null;
  const rows = runs.map((c) => exposuresAt(lastExposureEval(c).leakage, repetitions));
  const series = repetitions === 0 ? `${methodLabel(spec, method)} · ${CONTROL_SERIES}` : methodLabel(spec, method);
  return point(series, repetitions, runs, exposureEstimate(rows.map((g) => ({ groups: [g] })), cells), rows.map(meanOf));
}

/** Exposure at the last checkpoint against repetitions (x), one series per method, and each method's controls at x = 0. */
export function exposureByRepetitions(spec: ExperimentSpec, cells: readonly StoredCell[]): SeriesPoint[] {
  const counts = spec.leakage?.repetitions ?? [];
  return methodsOf(spec, cells).flatMap((m) => [0, ...counts].map((r) => exposureAtRepetitions(spec, cells, m, r)).filter((p): p is SeriesPoint => p !== null));
}

/** Exposure over training steps for one method: a series per repetition count (and the controls), x = step. */
export function exposureOverSteps(spec: ExperimentSpec, cells: readonly StoredCell[], method: number): SeriesPoint[] {
  const runs = cellsOf(spec, cells, method);
  const counts = [...(spec.leakage?.repetitions ?? []), 0];
  const steps = [...new Set(runs.flatMap((c) => c.evals.filter((e) => e.leakage?.canaries.length).map((e) => e.step)))].sort((a, b) => a - b);
  const points: SeriesPoint[] = [];
  for (const r of counts) {
    for (const step of steps) {
      const at = runs.map((c) => ({ c, e: c.evals.find((e) => e.step === step)?.leakage })).filter((x) => x.e && exposuresAt(x.e, r).length);
      if (!at.length) continue;
      const rows = at.map((x) => exposuresAt(x.e!, r));
      points.push(point(r === 0 ? CONTROL_SERIES : `×${r}`, step, at.map((x) => x.c), exposureEstimate(rows.map((g) => ({ groups: [g] })), cells), rows.map(meanOf)));
    }
  }
  return points;
}

/**
 * A seed's least-squares slope of exposure against log2(repetitions), from the mean exposure of each count: bits
 * gained per doubling. Groups are the repetition counts in order; xs their log2.
 */
export function slopeOf(xs: readonly number[]): SeedStatistic {
  const xm = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sxx = xs.reduce((s, x) => s + (x - xm) ** 2, 0);
  return (m) => {
    const ym = m.reduce((s, g) => s + g[0], 0) / m.length;
    return m.reduce((s, g, i) => s + (xs[i] - xm) * (g[0] - ym), 0) / sxx;
  };
}

/** Bits of exposure per doubling of repetitions at the last checkpoint (seeds and canaries resampled), with per-seed slopes. */
export function exposureSlope(spec: ExperimentSpec, cells: readonly StoredCell[], method: number): (Estimate & { values: number[] }) | null {
  const counts = spec.leakage?.repetitions ?? [];
  const runs = cellsOf(spec, cells, method);
  if (counts.length < 2 || !runs.length) return null;
  const units = runs.map((c) => ({ groups: counts.map((r) => exposuresAt(lastExposureEval(c).leakage, r)) }));
  if (units.some((u) => u.groups.some((g) => g.length === 0))) return null;
  const statistic = slopeOf(counts.map(Math.log2));
  const top = maxExposure(cells);
  const estimate = twoLevelBootstrap(units, statistic, { clip: [-top, top] });
  return { ...estimate, values: units.map((u) => statistic(u.groups.map((g) => [meanOf(g)]))) };
}

/** Mean exposure of canaries inserted `to` times minus those inserted `from` times (0 = controls), same runs, last checkpoint. */
export function exposureGap(spec: ExperimentSpec, cells: readonly StoredCell[], method: number, from: number, to: number): (Estimate & { values: number[] }) | null {
  const runs = cellsOf(spec, cells, method);
  const units = runs.map((c) => ({ groups: [exposuresAt(lastExposureEval(c).leakage, from), exposuresAt(lastExposureEval(c).leakage, to)] }));
  if (!units.length || units.some((u) => u.groups.some((g) => g.length === 0))) return null;
  const statistic: SeedStatistic = (m) => m[1][0] - m[0][0];
  return { ...exposureEstimate(units, cells, statistic, true), values: units.map((u) => meanOf(u.groups[1]) - meanOf(u.groups[0])) };
}

/** Paired change of the r-times canaries' exposure between two checkpoints of the same runs (each canary with itself). */
export function exposureChange(spec: ExperimentSpec, cells: readonly StoredCell[], method: number, repetitions: number, fromStep: number, toStep: number): (Estimate & { values: number[] }) | null {
  const runs = cellsOf(spec, cells, method);
  const units: SeedItems[] = [];
  for (const c of runs) {
    const a = c.evals.find((e) => e.step === fromStep)?.leakage;
    const b = c.evals.find((e) => e.step === toStep)?.leakage;
    if (!a || !b) return null;
    const [x, y] = [exposuresAt(a, repetitions), exposuresAt(b, repetitions)];
    if (!x.length || x.length !== y.length) return null;
    units.push({ groups: [x.map((row, i) => [row[0], y[i][0]])] });
  }
  if (!units.length) return null;
  return { ...exposureEstimate(units, cells, differenceOf(0, 1), true), values: units.map((u) => u.groups[0].reduce((s, r) => s + r[1] - r[0], 0) / u.groups[0].length) };
}

/** Paired difference of the r-times canaries' exposure, method `to` − method `from`, same seeds (same canaries), last checkpoint. */
export function methodExposureDifference(spec: ExperimentSpec, cells: readonly StoredCell[], from: number, to: number, repetitions: number): (Estimate & { values: number[] }) | null {
  const a = cellsOf(spec, cells, from);
  const b = cellsOf(spec, cells, to);
  const units: SeedItems[] = [];
  for (const c of a) {
    const d = b.find((x) => x.seed === c.seed);
    if (!d) continue;
    const [x, y] = [exposuresAt(lastExposureEval(c).leakage, repetitions), exposuresAt(lastExposureEval(d).leakage, repetitions)];
    if (x.length && x.length === y.length) units.push({ groups: [x.map((row, i) => [row[0], y[i][0]])] });
  }
  if (!units.length) return null;
  return { ...exposureEstimate(units, cells, differenceOf(0, 1), true), values: units.map((u) => u.groups[0].reduce((s, r) => s + r[1] - r[0], 0) / u.groups[0].length) };
}

function scoresOf(point: LeakageEval, attack: Attack): MiaScores {
  return point.mia[attack];
}

/** Epochs seen at a step, rounded for a label (the same for every seed of one setting). */
export function epochAt(cells: readonly StoredCell[], step: number): number {
  const e = cells.flatMap((c) => c.evals).find((x) => x.step === step)?.leakage?.epoch;
  return e === undefined ? NaN : Math.round(e * 100) / 100;
}

/** Membership-inference AUC over epochs: a series per method and attack, x = epochs seen (0 = the base). */
export function miaOverEpochs(spec: ExperimentSpec, cells: readonly StoredCell[]): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (const m of methodsOf(spec, cells)) {
    const runs = cellsOf(spec, cells, m);
    const steps = [...new Set(runs.flatMap((c) => c.evals.filter((e) => e.leakage).map((e) => e.step)))].sort((a, b) => a - b);
    for (const attack of ['loss', 'calibrated'] as Attack[]) {
      for (const step of steps) {
        const at = runs.map((c) => ({ c, e: c.evals.find((e) => e.step === step)?.leakage })).filter((x) => x.e);
        const units = at.map((x) => ({ conditions: [scoresOf(x.e!, attack)] }));
        const estimate = aucBootstrap(units, (a) => a[0], { clip: [0, 1] });
        points.push({ series: `${methodLabel(spec, m)} · ${attack} attack`, x: Math.round(at[0].e!.epoch * 100) / 100, values: at.map((x) => x.c.evals.find((e) => e.step === step)!.scores[attack === 'loss' ? MIA_LOSS_KEY : MIA_CALIBRATED_KEY]), runIds: at.map((x) => x.c.runId), ...estimate });
      }
    }
  }
  return points;
}

/** AUC of one attack at one step of the method's runs, or the paired change between two steps (same records). */
export function miaChange(spec: ExperimentSpec, cells: readonly StoredCell[], method: number, attack: Attack, fromStep: number, toStep: number): (Estimate & { values: number[] }) | null {
  const runs = cellsOf(spec, cells, method);
  const units = [];
  for (const c of runs) {
    const a = c.evals.find((e) => e.step === fromStep)?.leakage;
    const b = c.evals.find((e) => e.step === toStep)?.leakage;
    if (!a || !b) return null;
    units.push({ conditions: [scoresOf(a, attack), scoresOf(b, attack)] });
  }
  if (!units.length) return null;
  const statistic = (aucs: number[]) => aucs[1] - aucs[0];
  const estimate = aucBootstrap(units, statistic, { clip: [-1, 1] });
  return { ...estimate, values: units.map((u) => statistic(u.conditions.map((c) => aucOf(c.members, c.nonMembers)))) };
}

/** Paired difference of one attack's AUC at the last checkpoint, method `to` − method `from`: same seeds, same records. */
export function miaMethodDifference(spec: ExperimentSpec, cells: readonly StoredCell[], from: number, to: number, attack: Attack): (Estimate & { values: number[] }) | null {
  const units = [];
  for (const c of cellsOf(spec, cells, from)) {
    const d = cellsOf(spec, cells, to).find((x) => x.seed === c.seed);
    const [a, b] = [c.evals.at(-1)?.leakage, d?.evals.at(-1)?.leakage];
    if (a && b && a.mia[attack].members.length === b.mia[attack].members.length) units.push({ conditions: [scoresOf(a, attack), scoresOf(b, attack)] });
  }
  if (!units.length) return null;
  const statistic = (aucs: number[]) => aucs[1] - aucs[0];
  return { ...aucBootstrap(units, statistic, { clip: [-1, 1] }), values: units.map((u) => statistic(u.conditions.map((c) => aucOf(c.members, c.nonMembers)))) };
}

/** The AUC of one attack at the last checkpoint of the method's runs. */
export function miaFinal(spec: ExperimentSpec, cells: readonly StoredCell[], method: number, attack: Attack): (Estimate & { step: number; epoch: number }) | null {
  const runs = cellsOf(spec, cells, method);
  if (!runs.length) return null;
  const step = Math.min(...runs.map((c) => c.evals.at(-1)!.step));
  const at = runs.map((c) => c.evals.find((e) => e.step === step)?.leakage).filter((e): e is LeakageEval => !!e);
  return { ...aucBootstrap(at.map((e) => ({ conditions: [scoresOf(e, attack)] })), (a) => a[0], { clip: [0, 1] }), step, epoch: at[0].epoch };
}

/** Mean over seeds of the TPR at 1% FPR of one attack at one step (the figure the MIA literature reports). */
export function tprAt1FprMean(spec: ExperimentSpec, cells: readonly StoredCell[], method: number, attack: Attack, step: number): number {
  const at = cellsOf(spec, cells, method).map((c) => c.evals.find((e) => e.step === step)?.leakage).filter((e): e is LeakageEval => !!e);
  return at.reduce((s, e) => s + tprAtFpr(scoresOf(e, attack).members, scoresOf(e, attack).nonMembers, 0.01), 0) / at.length;
}
