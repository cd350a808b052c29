// Greedy exact match decided by one teacher-forced forward pass per batch instead of a token-by-token decode.
//
// Why it is exact: greedy decoding emits the argmax at every position. Feed prompt + answer + stop in one forward pass:
// if the argmax at every answer position is the answer's token and then the stop token's, greedy decoding emits
// exactly the answer and stops (yes). If the first miss is at answer position k, greedy decoding emits the answer's
// first k tokens and then the argmax token m found there, and whatever it emits after that cannot undo that prefix.
// With a tokenizer whose decode concatenates per-token strings (character level), the greedy text therefore starts
// with decode(answer[0..k)) + decode([m]); when no continuation of that prefix trims to the answer, the verdict is no.
// When m is the stop token, the greedy text is exactly decode(answer[0..k)) for any tokenizer.
// Every other case (BPE tokenizers, a miss that whitespace could still hide, an item that does not fit the context,
// fewer new tokens than the answer needs) is decoded greedily as before, so verdicts equal greedy decoding's.
import { exactMatch } from './metrics';
import type { Agreement, EvalTokenizer, GenerationItem, ItemValue } from './types';

export type FastVerdict = { value: ItemValue; prediction: string } | null;

/** Whether some continuation R of `prefix` gives (prefix + R).trim() === target.trim() (exactMatch's rule). */
export function prefixCanStillMatch(prefix: string, target: string): boolean {
  const want = target.trim();
  const got = prefix.trimStart();
  if (got === '') return true;
  if (got.length <= want.length) return want.startsWith(got);
  return got.startsWith(want) && got.slice(want.length).trim() === '';
}

/**
 * The exact-match verdict an agreement implies, or null when only greedy decoding can tell. `targetIds` are the
 * answer's ids (without the stop id); `maxNew` is the probe's budget of new tokens.
 */
export function verdictOf(agreement: Agreement | null, item: GenerationItem, targetIds: number[], stopId: number, maxNew: number, tokenizer: EvalTokenizer): FastVerdict {
  if (!agreement || maxNew < targetIds.length + 1) return null;
  if (agreement.matched === targetIds.length + 1 || agreement.miss === stopId) {
    // Greedy decoding emits the answer's first `matched` ids and then the stop id (dropped): its text is known exactly.
    const text = tokenizer.decode(targetIds.slice(0, Math.min(agreement.matched, targetIds.length)));
    return { value: exactMatch(text, item.target), prediction: text };
  }
  if (!tokenizer.decodeConcatenates || agreement.miss < 0) return null;
  let prefix: string;
  try {
    prefix = tokenizer.decode([...targetIds.slice(0, agreement.matched), agreement.miss]);
  } catch {
    return null; // an id outside the tokenizer (a padded vocabulary row): let greedy decoding report it as before
  }
  if (prefixCanStillMatch(prefix, item.target)) return null;
  return { value: { numerator: 0, denominator: 1 }, prediction: `${prefix}…` };
}
