// Few-shot prompting: prefixes each prompt of a probe with k solved example lines (the "few-shot base" variant).

import type { Probe } from './types';

export interface Shot {
  prompt: string;
  completion: string;
}

/** The same probe (same name, so results line up in comparisons) with `shots` (prompt + completion lines, completions ending with "\n") before every prompt. */
export function withFewShot(probe: Probe, shots: readonly Shot[]): Probe {
  const prefix = shots.map((s) => s.prompt + (s.completion.endsWith('\n') ? s.completion : `${s.completion}\n`)).join('');
  switch (probe.metric) {
    case 'perplexity':
      return { ...probe, items: probe.items.map((i) => ({ ...i, text: prefix + i.text })) };
    case 'multiple_choice':
      return { ...probe, items: probe.items.map((i) => ({ ...i, prompt: prefix + i.prompt })) };
    default:
      return { ...probe, items: probe.items.map((i) => ({ ...i, prompt: prefix + i.prompt })) } as Probe;
  }
}
