// Per eval item of the ticket probes: was its label-deciding phrase in a cell's training data (under any skill)?
import type { EvalSuite } from '../eval/types';
import { ticketPhraseOf } from '../world';

/**
 * Probe name → one flag per item, in item order, for the probes whose items are ticket prompts (TICK, ROUTE). A
 * target's own eval phrases are never in its train split, so its flags are all false; a TICK item's phrase can be
 * one a ROUTE fine-tune trained on with another label: seen- and unseen-phrase accuracy then tell the interference
 * on the trained phrases from the rest.
 */
export function seenPhraseFlags(suite: EvalSuite, training: readonly { prompt: string }[]): Record<string, boolean[]> {
  const trained = new Set<string>();
  for (const e of training) {
    const phrase = ticketPhraseOf(e.prompt);
    if (phrase) trained.add(phrase);
  }
  const flags: Record<string, boolean[]> = {};
  for (const probe of suite.probes) {
    if (probe.metric !== 'exact_match') continue;
    const phrases = probe.items.map((i) => ticketPhraseOf(i.prompt));
    if (phrases.every((p) => p === null)) continue;
    flags[probe.name] = phrases.map((p) => p !== null && trained.has(p));
  }
  return flags;
}

/** Accuracy over the items of one kind (seen or unseen phrase), or null when there are none of that kind. */
export function accuracyWhere(values: readonly number[], flags: readonly boolean[], seen: boolean): { value: number; n: number } | null {
  const picked = values.filter((_, i) => flags[i] === seen);
  return picked.length ? { value: picked.reduce((s, v) => s + v, 0) / picked.length, n: picked.length } : null;
}
