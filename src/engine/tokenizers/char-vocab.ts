// Character vocabulary of the seed-initialised tiny models (the dataset's characters, end token first); pretrained bases use char-tokenizer.ts.
import type { TokenizedExample } from '../data/example';

/** What the vocabulary reads of a dataset row (storage's DatasetRow is one). */
export interface CharRow {
  id: string;
  prompt: string;
  completion: string;
  cohort?: string;
}

/** Token 0 marks the start and end of every example, so generation knows where to stop. */
export const END_OF_TEXT = '\u0003';

export function buildVocab(rows: CharRow[]): string[] {
  const chars = new Set<string>();
  for (const row of rows) for (const c of row.prompt + row.completion) chars.add(c);
  return vocabOfChars(chars);
}

/** The vocabulary for a dataset's distinct characters (DatasetRecord.chars, stored at import): end token first, then sorted. */
export function vocabOfChars(chars: Iterable<string>): string[] {
  const set = new Set(chars);
  set.delete(END_OF_TEXT);
  return [END_OF_TEXT, ...[...set].sort()];
}

export function encodeText(text: string, vocab: string[]): number[] {
  const index = new Map(vocab.map((c, i) => [c, i]));
  // One pass without an array per character: a row may be megabytes long (the long-row policy encodes it whole).
  const ids: number[] = [];
  for (const c of text) {
    const id = index.get(c);
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

export function decodeIds(ids: number[], vocab: string[]): string {
  return ids.map((id) => (id === 0 ? '' : (vocab[id] ?? '�'))).join('');
}

/** [end, prompt…, completion…, end], loss only on the completion and the closing end token; cut to maxLength. */
export function encodeRow(row: CharRow, vocab: string[], maxLength: number): TokenizedExample {
  const prompt = encodeText(row.prompt, vocab);
  const completion = encodeText(row.completion, vocab);
  const ids = [0, ...prompt, ...completion, 0].slice(0, maxLength);
  const weights = ids.map((_, t) => (t > prompt.length ? 1 : 0));
  return { id: row.id, ids, weights, cohort: row.cohort };
}
