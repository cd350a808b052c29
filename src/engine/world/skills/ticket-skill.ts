// Factory for ticket classification skills (TICK, ROUTE): "NAME <wrapper around a phrase>=" → the phrase's label.
//
// The phrase alone decides the label, so the split is by phrase: within each phrase group, phrases ordered by a hash
// of (skill, phrase) go one in four to the eval half (and among those, in turn, to the pretrain / dev / report roles),
// the rest to train. Wrappers and their slots multiply each phrase into thousands of distinct prompts.

import type { EvalRole, Part, ShiftSpec, Skill, SkillName, Split } from '../types';
import { EVAL_ROLES, mixedHash, partAllowed } from '../partition';
import { MAX_TICKET_PROMPT, TICKET_COHORTS, phraseFor, phrasesOf, slotPattern, slotSize, slotValue, type TicketPhrase, type TicketSlot } from '../tickets';
import { pick } from '../sampling';

/** One phrase in four of every group is an eval phrase. */
export const TICKET_EVAL_EVERY = 4;

interface Template {
  text: string;
  slots: TicketSlot[];
  /** Characters the wrapper adds around the phrase at its longest (fixed text plus the longest value of each slot). */
  longestExtra: number;
  /** Distinct fillings of its slots. */
  fillings: number;
  /** Matches a whole prompt body; group 1 is the phrase. */
  pattern: RegExp;
}

interface PartPhrase extends TicketPhrase {
  part: Part;
  /** Indices of the templates whose longest filling keeps the prompt within MAX_TICKET_PROMPT (both spellings). */
  templates: number[];
  /** 2 when the uk cohort spells the phrase differently (two distinct prompts per filling), else 1. */
  spellings: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseTemplate(text: string): Template {
  const slots: TicketSlot[] = [];
  let pattern = '';
  let fixed = 0;
  for (const part of text.split(/(\{[a-z]+\})/)) {
    const slot = /^\{([a-z]+)\}$/.exec(part)?.[1];
    if (slot === 'p') pattern += '(.+)';
    else if (slot) {
      slots.push(slot as TicketSlot);
      pattern += slotPattern(slot as TicketSlot);
    } else {
      pattern += escapeRegExp(part);
      fixed += part.length;
    }
  }
  const sizes = slots.map(slotSize);
  return {
    text,
    slots,
    longestExtra: fixed + sizes.reduce((s, z) => s + z.longest, 0),
    fillings: sizes.reduce((n, z) => n * z.count, 1),
    pattern: new RegExp(`^${pattern}$`),
  };
}

/** Each phrase's part: per group, phrases sorted by hash; every TICKET_EVAL_EVERY-th is eval, its role in turn. */
function assignParts(name: SkillName, phrases: TicketPhrase[]): Map<string, Part> {
  const parts = new Map<string, Part>();
  const groups = new Map<number, TicketPhrase[]>();
  for (const p of phrases) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  for (const members of groups.values()) {
    const ordered = [...members].sort((a, b) => mixedHash(`${name}|${a.text}`) - mixedHash(`${name}|${b.text}`) || (a.text < b.text ? -1 : 1));
    ordered.forEach((p, i) => parts.set(p.text, i % TICKET_EVAL_EVERY === 0 ? EVAL_ROLES[(i / TICKET_EVAL_EVERY) % EVAL_ROLES.length] : 'train'));
  }
  return parts;
}

export interface TicketSkill extends Skill {
  /** The phrase (US spelling) that decides a prompt's label, or null when the prompt is not one of this skill's. */
  phraseOf(prompt: string): string | null;
  /** The part (train or eval role) of a prompt, by its phrase; null when the prompt is not one of this skill's. */
  partOfPrompt(prompt: string): Part | null;
  /** Every phrase with its label and part. */
  phrases: readonly (TicketPhrase & { part: Part })[];
  templates: readonly string[];
}

export function makeTicketSkill(name: SkillName, description: string, templates: readonly string[], pretrained: boolean): TicketSkill {
  const parsed = templates.map(parseTemplate);
  const phrases = phrasesOf(name as 'TICK' | 'ROUTE');
  const labels = [...new Set(phrases.map((p) => p.label))];
  const parts = assignParts(name, phrases);
  const room = MAX_TICKET_PROMPT - name.length - 2; // "NAME " and "="
  const all: PartPhrase[] = phrases.map((p) => {
    const uk = phraseFor(p.text, 'uk');
    const longest = Math.max(p.text.length, uk.length);
    if (longest > room) throw new Error(`${name}: phrase "${p.text}" is longer than ${room} characters.`);
    return {
      ...p,
      part: parts.get(p.text)!,
      templates: parsed.map((t, i) => (longest + t.longestExtra <= room ? i : -1)).filter((i) => i >= 0),
      spellings: uk === p.text ? 1 : 2,
    };
  });
  // Spelling (us or uk) → phrase; the solver's lookup, which also proves that no text is two phrases.
  const phraseOfText = new Map<string, PartPhrase>();
  for (const p of all) {
    for (const cohort of TICKET_COHORTS) {
      const text = phraseFor(p.text, cohort);
      const previous = phraseOfText.get(text);
      if (previous && previous.text !== p.text) throw new Error(`${name}: "${text}" spells two phrases.`);
      phraseOfText.set(text, p);
    }
  }

  /** The phrases of a part under a shift, each with the templates the shift keeps (phrases left with none dropped). */
  function candidates(split: Split, role: EvalRole | undefined, shift: ShiftSpec): PartPhrase[] {
    return all
      .filter((p) => partAllowed(p.part, split, role) && (!shift.labels || shift.labels.includes(p.label)))
      .map((p) => ({ ...p, templates: shift.templates ? p.templates.filter((i) => shift.templates!.includes(i)) : p.templates }))
      .filter((p) => p.templates.length > 0);
  }
  const candidateCache = new Map<string, Map<string, PartPhrase[]>>();
  function byLabel(split: Split, role: EvalRole | undefined, shift: ShiftSpec): Map<string, PartPhrase[]> {
    const key = JSON.stringify([split, role, shift.labels, shift.templates]);
    let cached = candidateCache.get(key);
    if (!cached) {
      cached = new Map();
      for (const p of candidates(split, role, shift)) cached.set(p.label, [...(cached.get(p.label) ?? []), p]);
      candidateCache.set(key, cached);
    }
    return cached;
  }

  function parse(prompt: string): PartPhrase | null {
    if (!prompt.startsWith(`${name} `) || !prompt.endsWith('=')) return null;
    const body = prompt.slice(name.length + 1, -1);
    let found: PartPhrase | null = null;
    for (const t of parsed) {
      const m = t.pattern.exec(body);
      const phrase = m ? phraseOfText.get(m[1]) : undefined;
      if (!phrase) continue;
      if (found && found.label !== phrase.label) throw new Error(`${name}: "${prompt}" parses as two phrases with different labels.`);
      found = phrase;
    }
    return found;
  }

  return {
    name,
    description,
    pretrained,
    partitioned: true,
    cohorts: TICKET_COHORTS,
    phrases: all.map(({ text, label, group, part }) => ({ text, label, group, part })),
    templates,
    poolSize(split, role, shift) {
      let count = 0;
      for (const p of candidates(split, role, shift)) for (const i of p.templates) count += parsed[i].fillings * p.spellings;
      return { count, exact: true };
    },
    sample(rng, { shift, cohort, split, role }) {
      const pool = byLabel(split, role, shift);
      const label = pick(rng, [...pool.keys()]);
      const phrase = pick(rng, pool.get(label)!);
      const templateIndex = pick(rng, phrase.templates);
      const template = parsed[templateIndex];
      const who = cohort ?? pick(rng, TICKET_COHORTS);
      const values = new Map(template.slots.map((slot) => [slot, slotValue(slot, rng.int(slotSize(slot).count))]));
      const body = template.text.replace(/\{([a-z]+)\}/g, (_, slot: string) => (slot === 'p' ? phraseFor(phrase.text, who) : values.get(slot as TicketSlot)!));
      const prompt = `${name} ${body}=`;
      return { prompt, answer: label, key: prompt, unit: phrase.text, part: phrase.part, cohort: who, tags: [`template:${templateIndex}`, `phrase-group:${phrase.group}`] };
    },
    solve(prompt) {
      return parse(prompt)?.label ?? null;
    },
    phraseOf(prompt) {
      return parse(prompt)?.text ?? null;
    },
    partOfPrompt(prompt) {
      return parse(prompt)?.part ?? null;
    },
    corrupt(rng, item) {
      return pick(
        rng,
        labels.filter((l) => l !== item.answer),
      );
    },
  };
}
