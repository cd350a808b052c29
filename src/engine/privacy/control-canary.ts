// The controls of an erasure's exposure readings: canaries of the forgotten one's template never inserted anywhere, and their interval.
import { buildCanaries, type CanaryLineage } from './canary-insert';

/** Never-inserted controls an erasure measures beside each forgotten canary: their exposures give the chance interval. */
export const ERASURE_CONTROLS = 10;

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

/** The 2.5%–97.5% quantiles of control exposures (with 10 controls, nearly their range); null without controls. */
export function controlInterval(exposures: readonly number[]): ControlInterval | null {
  if (exposures.length === 0) return null;
  const sorted = [...exposures].sort((a, b) => a - b);
  return { low: quantile(sorted, 0.025), high: quantile(sorted, 0.975), controls: sorted.length };
}

/** Whether an exposure lies in the controls' interval: neither above (still memorised) nor below (over-forgotten, itself a trace). */
export function withinInterval(exposure: number, interval: ControlInterval): boolean {
  return exposure >= interval.low && exposure <= interval.high;
}
