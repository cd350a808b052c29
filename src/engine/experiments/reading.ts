// The one-sentence reading under each chart, generated from the measured means and intervals (never from a script).
import type { SeedSummary } from './aggregate';
import { addedSeries, cliffCurves, saturationSeries, tradeoffSeries, type SeriesPoint } from './series';
import type { ExperimentSpec, StoredCell } from './types';

/** Changes smaller than this (in exact match) read as "about the same". */
export const SAME_WITHIN = 0.02;

/** "0.82 ± 0.03" (95% CI half-width over seeds), or "0.82" with one seed. */
export function formatScore(s: Pick<SeedSummary, 'mean' | 'halfWidth' | 'n'>): string {
  return s.n > 1 ? `${s.mean.toFixed(2)} ± ${s.halfWidth.toFixed(2)}` : s.mean.toFixed(2);
}

function seedsPhrase(n: number): string {
  return n === 1 ? 'one seed, so no error bars' : `${n} seeds`;
}

function change(from: SeedSummary, to: SeedSummary, what: string): string {
  const delta = to.mean - from.mean;
  if (Math.abs(delta) < SAME_WITHIN) return `left ${what} about the same (${formatScore(from)} vs ${formatScore(to)})`;
  return `${delta < 0 ? 'lowered' : 'raised'} ${what} from ${formatScore(from)} to ${formatScore(to)}`;
}

function movement(from: SeedSummary, to: SeedSummary): string {
  const delta = to.mean - from.mean;
  if (Math.abs(delta) < SAME_WITHIN) return `stayed about the same (${formatScore(from)} vs ${formatScore(to)})`;
  return `${delta < 0 ? 'fell' : 'rose'} from ${formatScore(from)} to ${formatScore(to)}`;
}

/** Saturation: what each added pool did, against the clean point it was added to and the same-size clean control. */
export function saturationReading(spec: ExperimentSpec, cells: StoredCell[]): string {
  const points = saturationSeries(spec, cells);
  const clean = points.filter((p) => p.series === 'clean');
  const what = `held-out exact match on ${spec.target}`;
  if (clean.length === 0) return 'No clean cell has finished yet.';
  const n = Math.min(...points.map((p) => p.n));
  const first = clean[0];
  const best = clean.reduce((a, b) => (b.mean > a.mean ? b : a));
  const kinds = (['noisy', 'narrow'] as const).filter((k) => points.some((p) => p.series === addedSeries(k)));
  if (kinds.length === 0 || spec.axes[0]?.knob !== 'trainSize') {
    const last = clean.at(-1)!;
    return `Going from ${first.x} to ${last.x} clean examples ${change(first, last, what)}, peaking at ${formatScore(best)} at ${best.x} (${seedsPhrase(n)}).`;
  }
  let control: SeriesPoint | undefined;
  const clauses = kinds.map((kind, i) => {
    const a = points.filter((p) => p.series === addedSeries(kind)).at(-1)!;
    const settings = cells.find((c) => c.settings.addedSize > 0 && c.settings.addedKind === kind && c.settings.trainSize + c.settings.addedSize === a.x)?.settings;
    const startN = settings ? settings.trainSize : a.x;
    const from = clean.find((p) => p.x === startN) ?? best;
    control ??= clean.find((p) => p.x === a.x);
    const word = kind === 'narrow' ? 'narrower' : 'noisier';
    return i === 0 ? `Adding ${a.x - startN} ${word} examples to ${startN} clean ones ${change(from, a, what)}` : `adding ${a.x - startN} ${word} ones instead ${change(from, a, 'it')}`;
  });
  let sentence = clauses.join('; ');
  if (control) sentence += `, while ${control.x} clean examples scored ${formatScore(control)}`;
  return `${sentence} (${seedsPhrase(n)}).`;
}

function curve(points: SeriesPoint[], probe: string): SeriesPoint[] {
  return points.filter((p) => p.series === probe).sort((a, b) => a.x - b.x);
}

/** Cliff curves: the target's rise against the adjacent skills' fall, naming the skill that fell most. */
export function cliffReading(spec: ExperimentSpec, cells: StoredCell[], variant?: number): string {
  const points = cliffCurves(spec, cells, undefined, variant);
  const target = curve(points, spec.target);
  if (target.length < 2) return 'The curves need at least two eval points; run the experiment.';
  const [t0, t1] = [target[0], target.at(-1)!];
  const drops = spec.adjacent
    .map((skill) => curve(points, skill))
    .filter((c) => c.length >= 2)
    .map((c) => ({ skill: c[0].series, from: c[0], to: c.at(-1)!, drop: c[0].mean - c.at(-1)!.mean }));
  const restFrom = drops.length ? drops.reduce((s, d) => s + d.from.mean, 0) / drops.length : NaN;
  const restTo = drops.length ? drops.reduce((s, d) => s + d.to.mean, 0) / drops.length : NaN;
  const second = spec.axes[1];
  const which = second ? ` with ${second.knob} ${variant ?? second.values[0]}` : '';
  let sentence = `Over ${t1.x} steps of fine-tuning${which}, exact match on ${spec.target} ${movement(t0, t1)}`;
  if (drops.length) {
    const worst = drops.reduce((a, b) => (b.drop > a.drop ? b : a));
    const verb = restFrom - restTo >= SAME_WITHIN ? 'fell' : restTo - restFrom >= SAME_WITHIN ? 'rose' : 'stayed';
    sentence += ` while the adjacent skills' mean ${verb} from ${restFrom.toFixed(2)} to ${restTo.toFixed(2)} (largest drop: ${worst.skill}, ${formatScore(worst.from)} → ${formatScore(worst.to)})`;
  }
  return `${sentence} (${seedsPhrase(t1.n)}).`;
}

function methodName(rank: number): string {
  return rank === 0 ? 'full fine-tuning' : `LoRA r${rank}`;
}

/** Trade-off: gain on the target vs loss on the rest, per rank (or other axis value). */
export function tradeoffReading(spec: ExperimentSpec, cells: StoredCell[]): string {
  const points = tradeoffSeries(spec, cells);
  if (points.length === 0) return 'No finished run has eval points before and after training yet.';
  const knob = spec.axes[0]?.knob ?? 'rank';
  const name = (x: number) => (knob === 'rank' ? methodName(x) : `${knob} ${x}`);
  const second = spec.axes[1]?.knob;
  const label = (p: (typeof points)[number]) => `${name(p.x)}${second && p.variant !== undefined ? ` with ${second} ${p.variant}` : ''}`;
  const parts = points.map((p) => `${label(p)} gained ${formatScore(p.gain)} on ${spec.target} and lost ${formatScore(p.loss)} on the rest`);
  const n = Math.min(...points.map((p) => p.gain.n));
  return `${parts.join('; ')} (${seedsPhrase(n)}).`;
}

