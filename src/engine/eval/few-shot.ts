// Few-shot prompting: prefixes each prompt of a probe with k solved example lines (the "few-shot base" variant).

import { generateWorldDataset, type SkillName } from '../world';
import type { Probe } from './types';

export interface Shot {
  prompt: string;
  completion: string;
}

/**
 * Solved examples put before every prompt of the few-shot variant, drawn from the train half. FACT is not split (its
 * items are the world's facts), so a shot can be an eval item: withFewShot drops such items from the probe.
 */
export const FEW_SHOT_COUNT = 2;
/** Seed of the Tiny World shots; scripts/pretrain exports the same shots for the PyTorch few-shot scores. */
export const FEW_SHOT_SEED = 77;

/** The k solved lines of one skill that the app's few-shot variant uses. */
export function tinyWorldShots(skill: SkillName, k = FEW_SHOT_COUNT): Shot[] {
  return generateWorldDataset({ mix: { [skill]: 1 }, size: k, split: 'train', seed: FEW_SHOT_SEED }).examples;
}

/**
 * The same probe (same name, so results line up in comparisons) with `shots` (prompt + completion lines, completions
 * ending with "\n") before every prompt. An item whose prompt is a shot's is dropped: the shot would hand it its answer.
 */
export function withFewShot(probe: Probe, shots: readonly Shot[]): Probe {
  const prefix = shots.map((s) => s.prompt + (s.completion.endsWith('\n') ? s.completion : `${s.completion}\n`)).join('');
  const shotPrompts = new Set(shots.map((s) => s.prompt));
  const shotLines = new Set(shots.map((s) => s.prompt + s.completion));
  switch (probe.metric) {
    case 'perplexity':
      return { ...probe, items: probe.items.filter((i) => !shotLines.has(i.text)).map((i) => ({ ...i, text: prefix + i.text })) };
    case 'multiple_choice':
      return { ...probe, items: probe.items.filter((i) => !shotPrompts.has(i.prompt)).map((i) => ({ ...i, prompt: prefix + i.prompt })) };
    default:
      return { ...probe, items: probe.items.filter((i) => !shotPrompts.has(i.prompt)).map((i) => ({ ...i, prompt: prefix + i.prompt })) } as Probe;
  }
}
