// Rows longer than the context: counted exactly from the length counts, and truncated, dropped or split for training.
import { describe, expect, it } from 'vitest';
import { lengthHistogram } from './dataset-stats';
import { countLongRows, countLongRowsBy, fitToContext } from './long-rows';
import type { TokenizedExample } from './example';
import type { DatasetRecord } from './record';
import { tokenizeRecord } from './tokenize-record';
import { encode as gpt2Encode } from 'gpt-tokenizer/encoding/gpt2';
import { loadTokenizer } from '../tokenizers/load';
import { gpt2TokenizerJsonFromTiktoken } from '../tokenizers/testing/reference-tokenizers';

const example = (n: number, promptTokens = 0): TokenizedExample => ({
  id: 'r1',
  ids: Array.from({ length: n }, (_, i) => i),
  weights: Array.from({ length: n }, (_, i) => (i > 0 && i >= promptTokens ? 1 : 0)),
});

describe('countLongRows', () => {
  it('counts rows strictly longer than the context, from the length counts', () => {
    const lengths = lengthHistogram([3, 64, 65, 65, 5_000_001, 10]);
    expect(lengths?.lengthCounts).toEqual([[3, 1], [10, 1], [64, 1], [65, 2], [5_000_001, 1]]);
    expect(countLongRows(lengths, 64)).toEqual({ rows: 3, exact: true, longest: 5_000_001 });
    expect(countLongRows(lengths, 65)).toEqual({ rows: 1, exact: true, longest: 5_000_001 });
    expect(countLongRows(lengths, 5_000_001)?.rows).toBe(0);
    expect(countLongRows(lengths, 2)?.rows).toBe(6);
  });

  it('says only "some" for a dataset imported before lengths were counted, and nothing without lengths', () => {
    const { lengthCounts: _, ...old } = lengthHistogram([3, 100, 100])!;
    expect(countLongRows(old, 64)).toEqual({ rows: 1, exact: false, longest: 100 });
    expect(countLongRows(old, 100)).toEqual({ rows: 0, exact: true, longest: 100 });
    expect(countLongRows(undefined, 64)).toBeNull();
  });
});

describe('fitToContext', () => {
  it('leaves a row that fits alone under every policy', () => {
    for (const policy of ['truncate', 'drop', 'split'] as const) expect(fitToContext(example(64), 64, policy)).toEqual([example(64)]);
  });

  it('truncates to the first context tokens', () => {
    const [cut, ...rest] = fitToContext(example(200), 64, 'truncate');
    expect(rest).toEqual([]);
    expect(cut.ids).toEqual(example(64).ids);
    expect(cut.truncated).toBe(true);
  });

  it('drops a long row', () => {
    expect(fitToContext(example(65), 64, 'drop')).toEqual([]);
  });

  it('splits into context-length pieces that cover every token, each predicting nothing at its first token', () => {
    const pieces = fitToContext(example(150), 64, 'split');
    expect(pieces.map((p) => p.ids.length)).toEqual([64, 64, 22]);
    expect(pieces.flatMap((p) => p.ids)).toEqual(example(150).ids);
    for (const p of pieces) {
      expect(p.weights[0]).toBe(0);
      expect(p.weights.slice(1).every((w) => w === 1)).toBe(true);
    }
  });

  it('leaves out pieces with nothing to learn (all prompt, or a single token)', () => {
    // 130 tokens: the first 70 are prompt (weight 0), so piece 1 learns nothing; the last piece is 2 tokens.
    const pieces = fitToContext(example(130, 70), 64, 'split');
    expect(pieces.map((p) => p.ids[0])).toEqual([64, 128]);
    expect(fitToContext(example(129), 64, 'split').map((p) => p.ids.length)).toEqual([64, 64]);
  });
});

describe('long rows counted with a model tokenizer', () => {
  it('counts rows by their GPT-2 token length (with EOS), not their characters', async () => {
    const tok = loadTokenizer(gpt2TokenizerJsonFromTiktoken());
    // 600 characters but 101 tokens; 150 characters of symbols; 840 characters and 200 tokens (truly long); a short row.
    const texts = [' hello'.repeat(100), '#$%^&*'.repeat(25), ' The quick brown fox.'.repeat(40), 'short'];
    const records: DatasetRecord[] = texts.map((text, i) => ({ kind: 'text', line: i + 1, text }));
    const context = 128;
    // Independent reference: gpt-tokenizer's encoding of each text, plus the EOS training appends.
    const lengths = texts.map((t) => gpt2Encode(t).length + 1);
    const expected = { rows: lengths.filter((n) => n > context).length, exact: true, longest: Math.max(...lengths) };
    const count = await countLongRowsBy([records.slice(0, 2), records.slice(2)], (r) => tokenizeRecord(r, tok, { maxSeqLen: Infinity, appendEos: true }).ids.length, context);
    expect(count).toEqual(expected);
    // The characters alone would call three of them long.
    expect(texts.filter((t) => t.length > context)).toHaveLength(3);
    expect(count.rows).toBe(1);
  });
});
