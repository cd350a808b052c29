// The controls of an erasure's exposure readings: canaries of the forgotten one's template never inserted anywhere, and their interval.
import { buildCanaries, type CanaryLineage } from './canary-insert';

/**
 * Never-inserted controls an erasure measures beside each forgotten canary. The canary is ONE draw, so it is placed
 * against single controls' spread (a prediction interval: their 2.5–97.5% quantiles), which needs enough of them for
 * the quantiles to mean something: with 10, the interval is nearly their range and a fresh never-seen secret falls
 * outside it about 2 times in 11; with 50, about 1 in 20. They cost nothing extra: one pass ranks them all.
 */
export const ERASURE_CONTROLS = 50;

/**
 * A canary of the same template never inserted anywhere: its exposure is what chance gives. A model with a character
 * vocabulary (`vocab`, seed-initialised runs) reads a character it lacks as <unk>, so the control's text must use only
 * characters it has, as the forgotten canary's does; otherwise its secret would tie with every unknown candidate.
 */
export function controlCanary(canary: CanaryLineage, avoid: readonly CanaryLineage[], vocab: readonly string[] | null = null): CanaryLineage | null {
  return controlCanaries(canary, avoid, vocab, 1)[0] ?? null;
}

/** Up to `count` distinct controls (fewer when the template or vocabulary allows fewer), each drawn as controlCanary's. */
export function controlCanaries(canary: CanaryLineage, avoid: readonly CanaryLineage[], vocab: readonly string[] | null, count: number): CanaryLineage[] {
  const known = vocab && vocab.length ? new Set(vocab) : null;
  const out: CanaryLineage[] = [];
  for (let k = 1; k <= 2000 && out.length < count; k++) {
    const [control] = buildCanaries([{ template: canary.template, repetitions: 1, seed: canary.seed + 7919 * k }], 0).canaries;
    if (avoid.some((c) => c.text === control.text) || out.some((c) => c.text === control.text)) continue;
    if (known && [...control.text].some((ch) => !known.has(ch))) continue;
    out.push(control);
  }
  return out;
}

/** The central 95% of the controls' exposures (bits), and how many controls it comes from. */
export interface ControlInterval {
  low: number;
  high: number;
  controls: number;
}

/** Quantile q of sorted values, linearly interpolated between order statistics (R's type 7, numpy's default). */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/** The 2.5%–97.5% quantiles of control exposures (a prediction interval for one more control); null without controls. */
export function controlInterval(exposures: readonly number[]): ControlInterval | null {
  if (exposures.length === 0) return null;
  const sorted = [...exposures].sort((a, b) => a - b);
  return { low: quantile(sorted, 0.025), high: quantile(sorted, 0.975), controls: sorted.length };
}

/** Whether an exposure lies in the controls' interval: neither above (still memorised) nor below (over-forgotten, itself a trace). */
export function withinInterval(exposure: number, interval: ControlInterval): boolean {
  return exposure >= interval.low && exposure <= interval.high;
}

/** Where one value lies against an interval: above (still exposed / still singled out), below (over-forgotten), within. */
export function versusInterval(value: number, interval: ControlInterval): 'within' | 'above' | 'below' {
  return value > interval.high ? 'above' : value < interval.low ? 'below' : 'within';
}

/**
 * The calibrated comparison: how far a model moved each secret's exposure from a reference that never saw any of them
 * (the base model; with LoRA, the adapter switched off). A secret's own prior ("11392" may simply be a likely digit
 * string) cancels in the difference, so the forgotten canary's shift is placed against the never-inserted controls'
 * shifts on the same two models (their 2.5–97.5% quantiles): within = the model treats the canary as it treats
 * secrets it never saw. Returns null without controls (or with mismatched lengths).
 */
export function shiftInterval(controls: readonly number[], controlsOnReference: readonly number[]): ControlInterval | null {
  if (controls.length !== controlsOnReference.length) return null;
  return controlInterval(controls.map((x, i) => x - controlsOnReference[i]));
}
