// The label-deciding phrase of a ticket prompt (TICK, ROUTE), and the part (train or eval role) of any skill's prompt.

import { partOf } from './partition';
import { routeSkill } from './skills/route';
import { ticketSkill } from './skills/ticket';
import type { TicketSkill } from './skills/ticket-skill';
import type { Part, SkillName } from './types';

export const TICKET_SKILLS: readonly SkillName[] = ['TICK', 'ROUTE'];

function ticketSkillOf(prompt: string): TicketSkill | null {
  if (prompt.startsWith('TICK ')) return ticketSkill;
  if (prompt.startsWith('ROUTE ')) return routeSkill;
  return null;
}

/**
 * The phrase (US spelling) that decides a ticket prompt's label, or null for a prompt of another skill. TICK and
 * ROUTE share many phrases, so a TICK eval item's phrase can be one a ROUTE fine-tune trained on: the interference.
 */
export function ticketPhraseOf(prompt: string): string | null {
  return ticketSkillOf(prompt)?.phraseOf(prompt) ?? null;
}

/** The part a generated prompt lives in: by its phrase for the ticket skills, by the prompt's hash for the others. */
export function promptPart(prompt: string): Part {
  const ticket = ticketSkillOf(prompt);
  return (ticket && ticket.partOfPrompt(prompt)) ?? partOf(prompt);
}
