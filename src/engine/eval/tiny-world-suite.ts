// The Tiny World eval suite: exact match per skill, multiple choice on the ticket skills, held-out perplexity.

import { EVAL_SETS, generateEvalSet, generateWorldDataset, PRETRAIN_MIX, ROUTE_TEAMS, SKILLS, SKILL_NAMES, TICK_LABELS, type EvalRole, type SkillName } from '../world';
import type { EvalSuite, Probe } from './types';

export interface TinyWorldSuiteOptions {
  /** Items per skill (default 50). */
  perSkill?: number;
  /** Seed and eval role of the items (default: the development set, EVAL_SETS.development). */
  seed?: number;
  role?: EvalRole;
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

const LABELS: Partial<Record<SkillName, string[]>> = { TICK: [...TICK_LABELS], ROUTE: [...ROUTE_TEAMS] };

/** Exact-match probe of one skill on its eval half (never seen in any generated train split), of one eval role when given. */
export function skillProbe(skill: SkillName, size: number, seed: number, role?: EvalRole): Probe {
  const items = generateEvalSet(skill, probeSize(skill, size, role), seed, undefined, role).map((e) => ({
    prompt: e.prompt,
    target: e.completion.replace(/\n$/, ''),
    ...(e.cohort ? { cohort: e.cohort } : {}),
  }));
  return { name: skill, metric: 'exact_match', items, stop: '\n' };
}

/**
 * Items a probe of `size` gets: all of a small eval part, each once, rather than repeated items. FACT is not split (its
 * items are the world's 60 facts) and FACTADD's eval roles hold 64–97 items; every other skill's part is far larger.
 */
export function probeSize(skill: SkillName, size: number, role?: EvalRole): number {
  const pool = SKILLS[skill].poolSize('eval', role, {});
  return pool.exact ? Math.min(size, pool.count) : size;
}

export function tinyWorldSuite(options: TinyWorldSuiteOptions = {}): EvalSuite {
  const perSkill = options.perSkill ?? 50;
  const seed = options.seed ?? EVAL_SETS.development.seed;
  const role = options.role ?? (options.seed === undefined ? EVAL_SETS.development.role : undefined);
  const skills = options.skills ?? SKILL_NAMES;
  const probes: Probe[] = skills.map((s) => skillProbe(s, perSkill, seed, role));
  if (options.extras ?? true) {
    for (const skill of skills) {
      const labels = LABELS[skill];
      if (!labels) continue;
      const items = generateEvalSet(skill, probeSize(skill, perSkill, role), seed + 1, undefined, role).map((e) => ({
        prompt: e.prompt,
        choices: labels.map((l) => `${l}\n`),
        answer: labels.indexOf(SKILLS[skill].solve(e.prompt)!),
        ...(e.cohort ? { cohort: e.cohort } : {}),
      }));
      probes.push({ name: `${skill} choice`, metric: 'multiple_choice', items });
    }
    const heldOut = generateWorldDataset({ mix: heldOutTextMix(), size: perSkill, split: 'eval', seed: seed + 2, ...(role ? { evalRole: role } : {}) });
    probes.push({ name: 'held-out text', metric: 'perplexity', items: heldOut.examples.map((e) => ({ text: e.prompt + e.completion })) });
  }
  return { name: 'tiny-world', probes };
}
