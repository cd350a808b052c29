// Dataset stats, content hash and splits against hand-computed values and an independent sha-256 (node:crypto).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCharTokenizerJson } from '../tokenizers/char-tokenizer-json';
import { loadTokenizer } from '../tokenizers/load';
import { datasetContentHash } from './dataset-hash';
import { computeDatasetStats, lengthHistogram } from './dataset-stats';
import type { DatasetRecord } from './record';
import { canonicalRecord, recordId } from './record-id';
import { assignSplit, splitRecords } from './splits';

const records: DatasetRecord[] = [
  { kind: 'prompt-completion', line: 1, prompt: 'ab', completion: 'c', cohort: 'x' },
  { kind: 'text', line: 2, text: 'hello  world' },
  { kind: 'text', line: 3, text: ' hello world ' }, // duplicate of line 2 after whitespace normalisation
  { kind: 'prompt-completion', line: 4, prompt: 'ab', completion: 'c', cohort: 'y' }, // duplicate content of line 1
  { kind: 'messages', line: 5, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] },
  { kind: 'text', line: 6, text: 'hello world' },
];

describe('computeDatasetStats', () => {
  it('counts shapes, cohorts and duplicates', () => {
    const stats = computeDatasetStats(records);
    expect(stats.total).toBe(6);
    expect(stats.byKind).toEqual({ 'prompt-completion': 2, messages: 1, text: 3, preference: 0 });
    expect(stats.byCohort).toEqual({ x: 1, y: 1, '': 4 });
    expect(stats.duplicateGroups).toEqual([{ lines: [2, 3, 6] }, { lines: [1, 4] }]);
    expect(stats.duplicateCount).toBe(3);
    // Exact copies are not near-duplicates; nothing else here shares 80% of its word bigrams.
    expect(stats.nearDuplicates?.count).toBe(0);
    const ten = 'one two three four five six seven eight nine ten';
    // Last word changed: 8 of 9 bigrams shared, union 10 → 0.8.
    const near = computeDatasetStats([...records, { kind: 'text', line: 7, text: ten }, { kind: 'text', line: 8, text: ten.replace('ten', 'eleven') }]);
    expect(near.nearDuplicates?.pairs).toEqual([{ a: 7, b: 8, similarity: 0.8 }]);
    expect(near.nearDuplicates?.count).toBe(1);
    expect(near.duplicateCount).toBe(3);
  });

  it('histograms token lengths', () => {
    const tok = loadTokenizer(buildCharTokenizerJson([...'abcdehlorwqu :\n']));
    const stats = computeDatasetStats(records, { tokenizer: tok, bins: 4 });
    // Lengths with EOS: 'abc'+eos=4, 'hello  world'+eos=13, ' hello world '+eos=14, 4, 'user: q\nassistant: a\n'+eos=22, 12.
    expect(stats.tokenLengths).toEqual({ edges: [4, 8.5, 13, 17.5, 22], counts: [2, 1, 2, 1], min: 4, max: 22, mean: 69 / 6, median: 12, p95: 22, lengthCounts: [[4, 2], [12, 1], [13, 1], [14, 1], [22, 1]] });
    expect(lengthHistogram([5, 5, 5])).toEqual({ edges: [5, 5], counts: [3], min: 5, max: 5, mean: 5, median: 5, p95: 5, lengthCounts: [[5, 3]] });
    expect(lengthHistogram([])).toBeUndefined();
  });
});

describe('datasetContentHash', () => {
  it('equals sha-256 of the sorted per-record digests and ignores order', async () => {
    const digests = records.map((r) => createHash('sha256').update(canonicalRecord(r)).digest('hex')).sort();
    const expected = createHash('sha256').update(digests.join('\n')).digest('hex');
    expect(await datasetContentHash(records)).toBe(expected);
    expect(await datasetContentHash([...records].reverse())).toBe(expected);
    expect(await datasetContentHash(records.slice(1))).not.toBe(expected);
    expect(await datasetContentHash([...records, records[0]])).not.toBe(expected);
  });

  it('ignores line numbers but not cohorts', async () => {
    const moved = records.map((r) => ({ ...r, line: r.line + 10 }));
    expect(await datasetContentHash(moved)).toBe(await datasetContentHash(records));
    const recohorted = records.map((r, i) => (i === 0 ? { ...r, cohort: 'z' } : r));
    expect(await datasetContentHash(recohorted)).not.toBe(await datasetContentHash(records));
  });
});

describe('splits', () => {
  it('assigns by sha-256 of "seed:id", computed independently', () => {
    const id = recordId(records[0]);
    const position = parseInt(createHash('sha256').update(`7:${id}`).digest('hex').slice(0, 12), 16) / 2 ** 48;
    const expected = position < 0.1 ? 'validation' : position < 0.2 ? 'test' : 'train';
    expect(assignSplit(7, id, { validation: 0.1, test: 0.1 })).toBe(expected);
    expect(recordId(records[0])).toBe(createHash('sha256').update(JSON.stringify(['pc', 'ab', 'c'])).digest('hex').slice(0, 16));
  });

  it('keeps each record in its split when others are added, and follows the fractions', () => {
    const many: DatasetRecord[] = Array.from({ length: 10_000 }, (_, i) => ({ kind: 'text', line: i + 1, text: `record ${i}` }));
    const fractions = { validation: 0.1, test: 0.2 };
    const before = splitRecords(many.slice(0, 5000), 42, fractions);
    const after = splitRecords(many, 42, fractions);
    for (const name of ['train', 'validation', 'test'] as const) {
      const later = new Set(after[name].map((r) => r.line));
      expect(before[name].every((r) => later.has(r.line))).toBe(true);
    }
    expect(after.validation.length / 10_000).toBeCloseTo(0.1, 1);
    expect(after.test.length / 10_000).toBeCloseTo(0.2, 1);
    const other = splitRecords(many, 43, fractions);
    expect(other.validation.map((r) => r.line)).not.toEqual(after.validation.map((r) => r.line));
    // Duplicates share a split.
    const dup = splitRecords([records[0], records[3]], 1, { validation: 0.5, test: 0.5 });
    expect(dup.validation.length === 2 || dup.test.length === 2).toBe(true);
    expect(() => assignSplit(1, 'x', { validation: 0.8, test: 0.3 })).toThrow(/do not fit/);
  });
});
