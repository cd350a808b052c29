// The Cohorts preset's cohorts: one surface form each of a ticket prompt's label-deciding phrase (the label never changes).
import { ExperimentSpecError } from '../../errors';
import { SKILLS, type SkillName } from '../../world';
import { phraseFor } from '../../world/tickets';
import type { TicketSkill } from '../../world/skills/ticket-skill';

/**
 * us: the phrase as Tiny World writes it for the us cohort; uk: Tiny World's uk spelling (cheque, parcel, flat …;
 * only 19 of ROUTE's 287 train phrases and 2 of its 28 reported eval phrases are spelled differently, so it barely
 * changes the data); caps: the phrase in capitals, as a legacy system that shouts would send it (every phrase changes,
 * and a character-level model sees other tokens).
 */
export const COHORT_FORMS = ['us', 'uk', 'caps'] as const;
export type CohortForm = (typeof COHORT_FORMS)[number];

export function isCohortForm(name: string): name is CohortForm {
  return (COHORT_FORMS as readonly string[]).includes(name);
}

function ticketSkill(skill: SkillName): TicketSkill {
  const s = SKILLS[skill] as Partial<TicketSkill>;
  if (typeof s.phraseOf !== 'function') {
    throw new ExperimentSpecError(`${skill} has no cohorts: its prompts have no phrase a cohort could write differently.`, 'Use a ticket skill (ROUTE or TICK) as the Cohorts target.');
  }
  return s as TicketSkill;
}

/** The phrase text of one cohort's form. */
export function phraseIn(phrase: string, cohort: CohortForm): string {
  if (cohort === 'caps') return phrase.toUpperCase();
  return phraseFor(phrase, cohort);
}

/**
 * A prompt of `skill` rewritten into the cohort's form: its phrase (in whichever spelling it was generated) replaced
 * by the cohort's; the wrapper is untouched (Tiny World's wrapper slots hold no word any form rewrites).
 */
export function cohortPrompt(prompt: string, skill: SkillName, cohort: CohortForm): string {
  const phrase = ticketSkill(skill).phraseOf(prompt);
  if (phrase === null) throw new Error(`"${prompt}" is not a ${skill} prompt.`);
  const written = [phraseFor(phrase, 'uk'), phrase].find((p) => prompt.includes(p));
  if (written === undefined) throw new Error(`"${prompt}": its phrase "${phrase}" is not in it.`);
  const at = prompt.lastIndexOf(written);
  return prompt.slice(0, at) + phraseIn(phrase, cohort) + prompt.slice(at + written.length);
}
