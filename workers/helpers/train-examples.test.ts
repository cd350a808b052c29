// The trainer's examples honour the run's long-row choice: truncate, drop or split rows longer than the context.
import { describe, expect, it } from 'vitest';
import { LongRowsError } from '../../src/engine/errors';
import type { DatasetRow } from '../../src/contract';
import { encodeRow, vocabOfChars } from '../../src/engine/tokenizers/char-vocab';
import { runExamples } from './train-examples';

const CONTEXT = 16;
const vocab = vocabOfChars('abcx>.');
const base = { context: CONTEXT, encode: (row: DatasetRow, max = CONTEXT) => encodeRow(row, vocab, max) };
const row = (id: string, prompt: string, completion: string, split: DatasetRow['split'] = 'train'): DatasetRow => ({ id, line: 1, split, kind: 'prompt-completion', prompt, completion });
const rows = [row('short', 'ab>', 'c.'), row('long', 'a>', 'x'.repeat(100)), row('val', 'b>', 'a.', 'validation')];

describe('runExamples', () => {
  it('truncate: every training row, the long one cut to the context', async () => {
    const { train, validation } = await runExamples([rows], base, 'truncate', 64);
    expect(train.map((e) => [e.id, e.ids.length])).toEqual([['short', 7], ['long', CONTEXT]]);
    expect(validation.map((e) => e.id)).toEqual(['val']);
  });

  it('drop: the long row is left out and counted', async () => {
    const { train, longRows } = await runExamples([rows], base, 'drop', 64);
    expect(train.map((e) => e.id)).toEqual(['short']);
    expect(longRows).toBe(1);
  });

  it('split: the long row becomes context-length pieces covering all of its tokens', async () => {
    const { train } = await runExamples([rows], base, 'split', 64);
    const pieces = train.filter((e) => e.id === 'long');
    // [end, a, >, 100 × x, end] = 104 tokens: six pieces of 16 and one of 8.
    expect(pieces.map((e) => e.ids.length)).toEqual([16, 16, 16, 16, 16, 16, 8]);
    expect(pieces.every((e) => e.ids.length <= CONTEXT && e.weights[0] === 0)).toBe(true);
  });

  it('drop that leaves nothing to train on stops with the reason', async () => {
    await expect(runExamples([[rows[1]]], base, 'drop', 64)).rejects.toThrow(LongRowsError);
  });
});
