// Canary templates with secret slots (`my account pin is {ddddd}`): parsing, the candidate space, seeded secrets.
import { CanaryTemplateError } from '../errors';
import { Rng } from '../rng';

/** One position of the secret: the options it may take (a digit, a lowercase letter, or a word from a list). */
export interface SlotElement {
  kind: 'digit' | 'letter' | 'word';
  options: string[];
}

/** A template split into fixed text and slot elements, in order. */
export interface CanaryTemplate {
  source: string;
  parts: (string | SlotElement)[];
  /** The slot elements in order (the same objects as in parts). */
  elements: SlotElement[];
}

const DIGITS = [...'0123456789'];
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];

function badTemplate(message: string): CanaryTemplateError {
  return new CanaryTemplateError(message, 'Write the secret as a slot: {ddddd} for digits, {aaaa} for letters, {w:red|green|blue} for one word of a list, e.g. "my account pin is {ddddd}".');
}

/**
 * Parses `{…}` slots: a run of `d` (one digit each) and `a` (one lowercase letter each), or `{w:one|two|three}` (one
 * word of the list; commas also separate). Text outside braces is fixed. A template without a slot is refused.
 */
export function parseCanaryTemplate(source: string): CanaryTemplate {
  const parts: (string | SlotElement)[] = [];
  const elements: SlotElement[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '}') throw badTemplate(`The template has a "}" without its "{" (character ${i + 1}).`);
    if (ch !== '{') {
      text += ch;
      i++;
      continue;
    }
    const end = source.indexOf('}', i + 1);
    if (end < 0) throw badTemplate(`The slot opened at character ${i + 1} is never closed with "}".`);
    const body = source.slice(i + 1, end);
    if (text) parts.push(text);
    text = '';
    if (body.startsWith('w:')) {
      const words = body.slice(2).split(/[|,]/).map((w) => w.trim()).filter((w) => w.length > 0);
      if (words.length < 2) throw badTemplate(`The word slot {${body}} needs at least two words to choose from.`);
      if (new Set(words).size !== words.length) throw badTemplate(`The word slot {${body}} lists a word twice.`);
      const element: SlotElement = { kind: 'word', options: words };
      parts.push(element);
      elements.push(element);
    } else {
      if (body.length === 0 || !/^[da]+$/.test(body)) throw badTemplate(`The slot {${body}} is not a secret slot.`);
      for (const c of body) {
        const element: SlotElement = c === 'd' ? { kind: 'digit', options: DIGITS } : { kind: 'letter', options: LETTERS };
        parts.push(element);
        elements.push(element);
      }
    }
    i = end + 1;
  }
  if (text) parts.push(text);
  if (elements.length === 0) throw badTemplate(`The template "${source}" has no secret slot, so there is no secret to measure.`);
  if (typeof parts[0] !== 'string') throw badTemplate(`The template "${source}" starts with its slot; the secret needs some text before it to be prompted and scored.`);
  return { source, parts, elements };
}

/** |R|: how many secrets the template allows (a float; beyond 2^53 it is approximate). */
export function candidateCount(template: CanaryTemplate): number {
  return template.elements.reduce((n, e) => n * e.options.length, 1);
}

/** The choices (option index per element) of candidate `index` in mixed radix, the last element fastest. */
export function candidateChoices(template: CanaryTemplate, index: number): number[] {
  const choices = new Array<number>(template.elements.length);
  for (let k = template.elements.length - 1; k >= 0; k--) {
    const n = template.elements[k].options.length;
    choices[k] = index % n;
    index = Math.floor(index / n);
  }
  return choices;
}

/** The inverse of candidateChoices. */
export function candidateIndex(template: CanaryTemplate, choices: readonly number[]): number {
  return template.elements.reduce((index, e, k) => index * e.options.length + choices[k], 0);
}

/** A uniformly random secret (one choice per element) from the seed: the same seed gives the same secret. */
export function drawSecret(template: CanaryTemplate, seed: number): number[] {
  const rng = new Rng(seed);
  return template.elements.map((e) => rng.int(e.options.length));
}

/** The full canary text with these choices filled in. */
export function renderCanary(template: CanaryTemplate, choices: readonly number[]): string {
  let k = 0;
  return template.parts.map((p) => (typeof p === 'string' ? p : p.options[choices[k++]])).join('');
}

/** The fixed text before the first slot: what extraction prompts the model with. */
export function canaryPrefix(template: CanaryTemplate): string {
  return typeof template.parts[0] === 'string' ? template.parts[0] : '';
}

/** The text from the first slot to the end of the last slot (fixed text between slots included): what extraction must emit. */
export function secretSpan(template: CanaryTemplate, choices: readonly number[]): string {
  const full = renderCanary(template, choices);
  const prefix = canaryPrefix(template);
  const last = template.parts[template.parts.length - 1];
  const suffix = typeof last === 'string' ? last : '';
  return full.slice(prefix.length, full.length - suffix.length);
}
