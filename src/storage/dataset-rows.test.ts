// Stored dataset rows: built from the data layer's records (split, id, flat text), rebuilt exactly, summarised.
import { describe, expect, it } from 'vitest';
import { assignSplit, datasetContentHash, parseJsonl, recordId, splitRecords } from '../engine/data/index';
import { reversalRecords } from '../../workers/helpers/example-dataset';
import { buildVocab, decodeIds, encodeRow } from '../engine/tokenizers/char-vocab';
import { recordToRow, rowRecord, SPLIT_FRACTIONS, summariseRows, summariseRowsNow } from './dataset-rows';

const jsonl = [
  JSON.stringify({ prompt: 'ab>', completion: 'ba.', cohort: 'x' }),
  JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'yo', weight: 1 }], tags: ['t'] }),
  JSON.stringify({ text: 'mail ann@example.org' }),
  JSON.stringify({ text: 'mail  ann@example.org ' }),
].join('\n');

describe('dataset rows', () => {
  it('flatten records for the char trainer and rebuild them exactly (message weights kept)', async () => {
    const { records } = await parseJsonl(jsonl);
    const rows = records.map((r) => recordToRow(r, 7));
    expect(rows[0]).toMatchObject({ line: 1, kind: 'prompt-completion', prompt: 'ab>', completion: 'ba.', cohort: 'x' });
    // plainChatRenderer: "role: content\n" per turn, then the generation prompt "assistant: ".
    expect(rows[1]).toMatchObject({ line: 2, kind: 'messages', prompt: 'user: hi\nassistant: ', completion: 'yo', tags: ['t'] });
    expect(rows[1].messages?.[1].weight).toBe(1);
    expect(rows[2]).toMatchObject({ line: 3, kind: 'text', prompt: '', completion: 'mail ann@example.org' });
    expect(rows.map(rowRecord)).toEqual(records);
    rows.forEach((row, i) => {
      expect(row.id).toBe(recordId(records[i]));
      expect(row.split).toBe(assignSplit(7, row.id, SPLIT_FRACTIONS));
    });
  });

  it('summarise with the data layer: hand-counted duplicates, PII, token lengths; sync hash equals the WebCrypto one', async () => {
    const { records } = await parseJsonl(jsonl);
    const rows = records.map((r) => recordToRow(r, 7));
    const { sha256, stats } = await summariseRows(rows, 2);
    expect(sha256).toBe(await datasetContentHash(records));
    expect(summariseRowsNow(rows, 2).sha256).toBe(sha256);
    expect(stats.rows).toBe(4);
    expect(stats.badLines).toBe(2);
    // Lines 3 and 4 differ only in whitespace.
    expect(stats.duplicates).toBe(1);
    expect(stats.summary.duplicateGroups).toEqual([{ lines: [3, 4] }]);
    expect(stats.pii.email).toEqual({ count: 2, records: 2, exampleLines: [3, 4] });
    // Char tokens + EOS: "ab>ba." = 6 + 1; "mail ann@example.org" = 20 + 1.
    expect(stats.summary.tokenLengths?.min).toBe(7);
    expect(stats.summary.tokenLengths?.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(stats.splits.train + stats.splits.validation + stats.splits.test).toBe(4);
  });

  it('splits are seeded, stable under reordering, about 80/10/10, and agree with splitRecords', () => {
    const records = reversalRecords(2000, 9);
    const rows = records.map((r) => recordToRow(r, 1));
    const reversed = [...records].reverse().map((r) => recordToRow(r, 1).split);
    expect(reversed).toEqual(rows.map((r) => r.split).reverse());
    const bySplitRecords = splitRecords(records, 1, SPLIT_FRACTIONS);
    expect(rows.filter((r) => r.split === 'test').map((r) => r.line)).toEqual(bySplitRecords.test.map((r) => r.line));
    const train = rows.filter((r) => r.split === 'train').length / 2000;
    expect(train).toBeGreaterThan(0.76);
    expect(train).toBeLessThan(0.84);
    expect(records.map((r) => recordToRow(r, 2).split)).not.toEqual(rows.map((r) => r.split));
  });
});

describe('char encoding of a stored row', () => {
  it('wraps in end tokens and weighs only the completion and the closing end token', () => {
    const row = recordToRow({ kind: 'prompt-completion', line: 1, prompt: 'ab>', completion: 'ba.' }, 1);
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
