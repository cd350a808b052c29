// The control of an erasure's exposure readings: a canary of the forgotten one's template that was never inserted anywhere.
import { buildCanaries, type CanaryLineage } from './canary-insert';

/**
 * A canary of the same template never inserted anywhere: its exposure is what chance gives. A model with a character
 * vocabulary (`vocab`, seed-initialised runs) reads a character it lacks as <unk>, so the control's text must use only
 * characters it has, as the forgotten canary's does; otherwise its secret would tie with every unknown candidate.
 */
export function controlCanary(canary: CanaryLineage, avoid: readonly CanaryLineage[], vocab: readonly string[] | null = null): CanaryLineage | null {
  const known = vocab && vocab.length ? new Set(vocab) : null;
  for (let k = 1; k <= 2000; k++) {
    const [control] = buildCanaries([{ template: canary.template, repetitions: 1, seed: canary.seed + 7919 * k }], 0).canaries;
    if (avoid.some((c) => c.text === control.text)) continue;
    if (known && [...control.text].some((ch) => !known.has(ch))) continue;
    return control;
  }
  return null;
}
