// Texts → right-padded ids and mask [B, T], cut to a maximum length while keeping the special tokens the tokenizer adds.
import { tf } from '../backend/tf';
import { ShapeMismatchError } from '../errors';
import type { Tokenizer } from '../tokenizers/tokenizer';
import type { EmbedBatch } from './embedder';

/**
 * The tokenizer's ids for `text` with its special tokens (BERT: [CLS] … [SEP]), cut to maxLength by dropping content
 * from the end and keeping the specials, as Hugging Face's truncation does. The specials are found by comparing the
 * encodings with and without them; `extraEnd` ids (e.g. an EOS a decoder embedder appends) count as specials too.
 */
export function encodeTruncated(tokenizer: Tokenizer, text: string, maxLength: number, extraEnd: readonly number[] = []): number[] {
  const plain = tokenizer.encode(text, { addSpecialTokens: false });
  const full = [...tokenizer.encode(text, { addSpecialTokens: true }), ...extraEnd];
  if (full.length <= maxLength) return full;
  const start = indexOfRun(full, plain);
  if (start < 0) throw new ShapeMismatchError(`The tokenizer's special tokens do not frame the text's tokens (${full.length} vs ${plain.length}), so the text cannot be cut to ${maxLength} tokens.`, 'Use a shorter text or a tokenizer whose post-processor only adds tokens around the text.');
  const prefix = full.slice(0, start);
  const suffix = full.slice(start + plain.length);
  const room = maxLength - prefix.length - suffix.length;
  if (room < 0) throw new ShapeMismatchError(`max length ${maxLength} leaves no room beside ${prefix.length + suffix.length} special tokens.`, 'Raise max_seq_length.');
  return [...prefix, ...plain.slice(0, room), ...suffix];
}

function indexOfRun(haystack: readonly number[], needle: readonly number[]): number {
  outer: for (let s = 0; s + needle.length <= haystack.length; s++) {
    for (let i = 0; i < needle.length; i++) if (haystack[s + i] !== needle[i]) continue outer;
    return s;
  }
  return -1;
}

/** Rows of ids → ids and mask int32 [B, T] (T = the longest row), right-padded with padId. */
export function padBatch(rows: readonly (readonly number[])[], padId: number): EmbedBatch {
  const B = rows.length;
  const T = Math.max(1, ...rows.map((r) => r.length));
  const ids = new Int32Array(B * T).fill(padId);
  const mask = new Int32Array(B * T);
  rows.forEach((row, b) => {
    ids.set(row, b * T);
    mask.fill(1, b * T, b * T + row.length);
  });
  return { ids: tf.tensor2d(ids, [B, T], 'int32'), mask: tf.tensor2d(mask, [B, T], 'int32') };
}
