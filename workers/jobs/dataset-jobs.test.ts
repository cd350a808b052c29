// Interim dataset code of the worker jobs: record checks, char encoding with loss weights, stable splits, stats.
import { describe, expect, it } from 'vitest';
import { jsonlLineToRow } from './dataset-records';
import { buildVocab, decodeIds, encodeRow } from './char-vocab';
import { splitOf } from './splits';
import { datasetStats } from './dataset-stats';
import { reversalRows } from './example-dataset';

describe('JSONL line → row', () => {
  it('accepts the three shapes and names what is wrong otherwise', () => {
    expect(jsonlLineToRow('{"prompt":"a","completion":"b","cohort":"x"}', 3)).toEqual({ id: 'L3', prompt: 'a', completion: 'b', cohort: 'x' });
    expect(jsonlLineToRow('{"text":"hello"}', 1)).toEqual({ id: 'L1', prompt: '', completion: 'hello' });
    expect(jsonlLineToRow('{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}', 2)).toEqual({
      id: 'L2',
      prompt: 'user: hi\nassistant: ',
      completion: 'yo',
    });
    expect(jsonlLineToRow('   ', 4)).toBeNull();
    expect(jsonlLineToRow('{"prompt": "x", ', 5)).toMatch(/^not valid JSON/);
    expect(jsonlLineToRow('[1,2]', 6)).toBe('expected a JSON object');
    expect(jsonlLineToRow('{"prompt":"x"}', 7)).toBe('"completion" must be a non-empty string');
    expect(jsonlLineToRow('{"text":"x","tags":[1]}', 8)).toBe('"tags" must be a list of strings');
    expect(jsonlLineToRow('{"messages":[{"role":"user","content":"hi"}]}', 9)).toMatch(/last message must be from the assistant/);
  });
});

describe('char encoding', () => {
  it('wraps in end tokens and weighs only the completion and the closing end token', () => {
    const row = { id: 'r', prompt: 'ab>', completion: 'ba.' };
    const vocab = buildVocab([row]);
    expect(vocab).toEqual(['\u0003', '.', '>', 'a', 'b']);
    const example = encodeRow(row, vocab, 32);
    expect(example.ids).toEqual([0, 3, 4, 2, 4, 3, 1, 0]);
    // weights[t] weighs predicting ids[t]: the 3 completion chars and the final end token.
    expect(example.weights).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(decodeIds(example.ids, vocab)).toBe('ab>ba.');
    expect(encodeRow(row, vocab, 5).ids).toEqual([0, 3, 4, 2, 4]);
  });
});

describe('splits and stats', () => {
  it('assigns splits by seed and content only, close to 80/10/10', () => {
    const rows = reversalRows(2000, 9);
    const first = rows.map((r) => splitOf(r, 1));
    expect([...rows].reverse().map((r) => splitOf(r, 1))).toEqual([...first].reverse());
    const counts = { train: 0, validation: 0, test: 0 };
    for (const s of first) counts[s]++;
    expect(counts.train / 2000).toBeGreaterThan(0.76);
    expect(counts.train / 2000).toBeLessThan(0.84);
    expect(rows.map((r) => splitOf(r, 2))).not.toEqual(first);
  });

  it('counts duplicates, lengths and personal data by hand-checked examples', () => {
    const rows = [
      { id: 'a', prompt: 'p', completion: 'mail me at ann@example.org' },
      { id: 'b', prompt: 'p', completion: 'mail me at ann@example.org' },
      { id: 'c', prompt: '', completion: 'xyz' },
    ];
    const stats = datasetStats(rows, 2, 1);
    expect(stats.rows).toBe(3);
    expect(stats.badLines).toBe(2);
    expect(stats.duplicates).toBe(1);
    expect(stats.minLength).toBe(3);
    expect(stats.maxLength).toBe(27);
    expect(stats.meanLength).toBeCloseTo((27 + 27 + 3) / 3);
    expect(stats.lengthHistogram.reduce((n, b) => n + b.count, 0)).toBe(3);
    expect(stats.pii).toEqual([{ kind: 'e-mail address', rows: 2, firstRowIds: ['a', 'b'] }]);
  });
});
