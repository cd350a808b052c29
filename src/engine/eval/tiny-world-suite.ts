// The Tiny World eval suite: exact match per skill, multiple choice on the ticket skills, held-out perplexity.

import { generateEvalSet, generateWorldDataset, PRETRAIN_MIX, ROUTE_PHRASES, SKILLS, SKILL_NAMES, TICK_PHRASES, type SkillName } from '../world';
import type { EvalSuite, Probe } from './types';

export interface TinyWorldSuiteOptions {
  /** Items per skill (default 50). */
  perSkill?: number;
  /** Seed of the eval items (default 1001, the seed the model cards were scored with). */
  seed?: number;
  skills?: SkillName[];
  /** Add multiple-choice probes for TICK/ROUTE and a held-out perplexity probe (default true). */
  extras?: boolean;
}

/**
 * The mixture of held-out text: the pretraining mix without its memorised skills (FACT), whose items are not split,
 * so a FACT line in "held-out" text would be a line the base was trained on.
 */
export function heldOutTextMix(): Partial<Record<SkillName, number>> {
  return Object.fromEntries(Object.entries(PRETRAIN_MIX).filter(([skill]) => SKILLS[skill as SkillName].partitioned));
}

const LABELS: Partial<Record<SkillName, string[]>> = { TICK: Object.keys(TICK_PHRASES), ROUTE: Object.keys(ROUTE_PHRASES) };

/** Exact-match probe of one skill on its eval half (never seen in any generated train split). */
export function skillProbe(skill: SkillName, size: number, seed: number): Probe {
  const items = generateEvalSet(skill, size, seed).map((e) => ({
    prompt: e.prompt,
    target: e.completion.replace(/\n$/, ''),
    ...(e.cohort ? { cohort: e.cohort } : {}),
  }));
  return { name: skill, metric: 'exact_match', items, stop: '\n' };
}

export function tinyWorldSuite(options: TinyWorldSuiteOptions = {}): EvalSuite {
  const perSkill = options.perSkill ?? 50;
  const seed = options.seed ?? 1001;
  const skills = options.skills ?? SKILL_NAMES;
  const probes: Probe[] = skills.map((s) => skillProbe(s, perSkill, seed));
  if (options.extras ?? true) {
    for (const skill of skills) {
      const labels = LABELS[skill];
      if (!labels) continue;
      const items = generateEvalSet(skill, perSkill, seed + 1).map((e) => ({
        prompt: e.prompt,
        choices: labels.map((l) => `${l}\n`),
        answer: labels.indexOf(SKILLS[skill].solve(e.prompt)!),
        ...(e.cohort ? { cohort: e.cohort } : {}),
      }));
      probes.push({ name: `${skill} choice`, metric: 'multiple_choice', items });
    }
    const heldOut = generateWorldDataset({ mix: heldOutTextMix(), size: perSkill, split: 'eval', seed: seed + 2 });
    probes.push({ name: 'held-out text', metric: 'perplexity', items: heldOut.examples.map((e) => ({ text: e.prompt + e.completion })) });
  }
  return { name: 'tiny-world', probes };
}
