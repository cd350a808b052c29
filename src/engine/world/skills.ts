// The registry of Tiny World skills and the pretraining mixture of the shipped base models.

import type { Skill, SkillName } from './types';
import { addSkill } from './skills/add';
import { reverseSkill } from './skills/reverse';
import { sortSkill } from './skills/sort';
import { upperSkill } from './skills/upper';
import { factSkill } from './skills/fact';
import { ticketSkill } from './skills/ticket';
import { reverseUpperSkill } from './skills/revup';
import { factAddSkill } from './skills/fact-add';
import { routeSkill } from './skills/route';

export const SKILLS: Record<SkillName, Skill> = {
  ADD: addSkill,
  REV: reverseSkill,
  SORT: sortSkill,
  UP: upperSkill,
  FACT: factSkill,
  TICK: ticketSkill,
  REVUP: reverseUpperSkill,
  FACTADD: factAddSkill,
  ROUTE: routeSkill,
};

export const SKILL_NAMES = Object.keys(SKILLS) as SkillName[];

/** Single-step skills (the ≥ 80% bar of the base models) and multi-step compositions. */
export const SINGLE_STEP_SKILLS: readonly SkillName[] = ['ADD', 'REV', 'SORT', 'UP', 'FACT', 'TICK'];
export const COMPOSITE_SKILLS: readonly SkillName[] = ['REVUP', 'FACTADD'];
/** The fine-tuning target: absent from pretraining. */
export const TARGET_SKILL: SkillName = 'ROUTE';

/** Mixture weights of the base models' pretraining corpus (addition learns slowest, so it gets more). */
export const PRETRAIN_MIX: Partial<Record<SkillName, number>> = {
  ADD: 2,
  REV: 1,
  SORT: 1.5,
  UP: 1,
  FACT: 1,
  TICK: 1,
  REVUP: 1,
  FACTADD: 1.5,
};

/** The skill a prompt belongs to (by its leading word), or undefined. */
export function skillOfPrompt(prompt: string): Skill | undefined {
  const word = prompt.split(' ', 1)[0] as SkillName;
  return SKILLS[word];
}
