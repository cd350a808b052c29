// The Generate panel's example prompt in the run's own format: a prompt of its dataset the model can read, else one per model kind.
import { WORLD_CHARS } from '../../engine/world/vocabulary';
import type { TinyModelSpec } from '../../contract';

/** A Tiny World prompt (the REV skill, which both shipped bases do perfectly). */
export const TINY_WORLD_EXAMPLE = 'REV abcd=';
/** Hub/local models read any text. */
export const PLAIN_TEXT_EXAMPLE = 'Once upon a time';
/** Longer dataset prompts make a poor placeholder: the field shows one short line. */
const MAX_EXAMPLE_CHARS = 60;

/**
 * The first of `prompts` (the run's dataset, in order) that is one short line of characters the model knows;
 * else a prompt in the model's format: a Tiny World skill prompt, the first characters of a char model's
 * vocabulary (`vocab[0]` is its end token), or plain text.
 */
export function examplePrompt(kind: TinyModelSpec['kind'], vocab: readonly string[], prompts: readonly string[]): string {
  const known = kind === 'tiny-world' ? new Set(WORLD_CHARS) : kind === 'tiny-gpt2' ? new Set(vocab.slice(1)) : null;
  const fits = (p: string) => p.trim().length > 0 && p.length <= MAX_EXAMPLE_CHARS && !p.includes('\n') && (known === null || [...p].every((c) => known.has(c)));
  const found = prompts.find(fits);
  if (found !== undefined) return found;
  if (kind === 'tiny-world') return TINY_WORLD_EXAMPLE;
  if (kind === 'tiny-gpt2') return vocab.slice(1).filter((c) => c !== '\n').slice(0, 4).join('');
  return PLAIN_TEXT_EXAMPLE;
}
