// The Capability ceiling preset's bases field: parsed from "a, b, c", refused before anything runs when empty, repeated,
// not installed in this build, or (once loaded) with a context too short for its lines.
import { ExperimentSpecError } from '../../errors';
import { TINY_WORLD_BASE_MODELS } from '../../world/base-models';
import { FACT_ATTRIBUTES, WORLD_ENTITIES, factValue } from '../../world/entities';
import { SEED_BASE_PREFIX } from '../base-sha';
import { factPrompt, questionOf } from './spec';

/** The bases a ceiling sweep may name: the Tiny World bases this build ships, or a seed model (tests). */
export function installedBase(id: string): boolean {
  return id.startsWith(SEED_BASE_PREFIX) || TINY_WORLD_BASE_MODELS.some((m) => m.id === id);
}

export function parseBases(text: string): string[] {
  return text.split(',').map((b) => b.trim()).filter((b) => b !== '');
}

/** What is wrong with a list of bases, in the field's words, or null. */
export function basesProblem(bases: readonly string[]): string | null {
  if (bases.length === 0) return `Name at least one base, e.g. ${TINY_WORLD_BASE_MODELS.find((m) => m.id.includes('ctx256'))?.id ?? 'tiny-world-800k'} (the comparison needs two or more).`;
  const repeated = bases.find((b, i) => bases.indexOf(b) !== i);
  if (repeated) return `“${repeated}” is listed twice: name each base once.`;
  const missing = bases.filter((b) => !installedBase(b));
  if (missing.length) return `${missing.map((b) => `“${b}”`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed in this build: pick from ${TINY_WORLD_BASE_MODELS.map((m) => m.id).join(', ')}.`;
  return null;
}

/** Characters (one token each) of the longest line a ceiling cell trains or scores: prompt, answer and its newline. */
export function ceilingContextNeeded(): number {
  let longest = 0;
  for (const e of WORLD_ENTITIES) {
    for (const a of FACT_ATTRIBUTES) {
      const answer = factValue(e, a).length + 1;
      longest = Math.max(longest, questionOf(e.name, a).length + answer, factPrompt(e.name, a).length + answer);
    }
  }
  return longest;
}

/** Refuses a loaded base whose context cannot hold the preset's longest line (before anything is trained). */
export function assertCeilingContext(base: string, contextLength: number): void {
  const needed = ceilingContextNeeded();
  if (contextLength < needed) {
    throw new ExperimentSpecError(
      `The base “${base}” reads ${contextLength} tokens at most; the Capability ceiling's longest line needs ${needed}.`,
      'Remove it from Bases, or pick a base with a longer context (every shipped Tiny World base has 64 or more).',
    );
  }
}
