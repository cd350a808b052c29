// The streaming summary equals the whole-array one (summariseRows): counts, duplicates, lengths, PII, hash, splits, chars.
import { describe, expect, it } from 'vitest';
import { parseJsonl } from '../engine/data/jsonl';
import type { DatasetRecord as SourceRecord } from '../engine/data/record';
import { reversalRecords } from '../../workers/helpers/example-dataset';
import { buildVocab, vocabOfChars } from '../engine/tokenizers/char-vocab';
import { generateWorldDataset } from '../engine/world';
import { recordToRow, summariseRows } from './dataset-rows';
import { DatasetSummaryBuilder, rowChars } from './dataset-summary';
import { datasetV2ToV3, type DatasetRecordV2 } from './migrations';

async function bothWays(records: readonly SourceRecord[], badLines = 0) {
  const rows = records.map((r) => recordToRow(r, 5));
  const builder = new DatasetSummaryBuilder();
  records.forEach((r, i) => builder.add(r, rows[i]));
  return { rows, streamed: builder.finish(badLines), whole: await summariseRows(rows, badLines) };
}

const mixed = [
  JSON.stringify({ prompt: 'ab>', completion: 'ba.', cohort: 'x' }),
  JSON.stringify({ messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi 🙂' }, { role: 'assistant', content: 'yo', weight: 1 }], tags: ['t'] }),
  JSON.stringify({ text: 'mail ann@example.org or call +44 20 7946 0958' }),
  JSON.stringify({ text: 'mail  ann@example.org or call +44 20 7946 0958 ' }),
  JSON.stringify({ prompt: 'card 4111 1111 1111 1111 ip 10.0.0.1', completion: 'noted <eos>' }),
  JSON.stringify({ prompt: 'ab>', completion: 'ba.', cohort: 'y' }),
  JSON.stringify({ text: 'ab>ba.' }),
].join('\n');

describe('DatasetSummaryBuilder', () => {
  it('matches summariseRows on every shape, duplicates, PII, astral characters and a literal special token', async () => {
    const { records } = await parseJsonl(mixed);
    const { streamed, whole } = await bothWays(records, 3);
    expect(streamed.stats).toEqual(whole.stats);
    expect(streamed.sha256).toBe(whole.sha256);
    // Hand-checked anchors, so a shared mistake in both paths would still show.
    expect(streamed.stats.duplicates).toBe(2);
    expect(streamed.stats.summary.duplicateGroups).toEqual([{ lines: [1, 6] }, { lines: [3, 4] }]);
    expect(streamed.stats.pii.email).toEqual({ count: 2, records: 2, exampleLines: [3, 4] });
    expect(streamed.stats.pii.creditCard.count).toBe(1);
  });

  it('matches on thousands of generated rows with many duplicate groups, cohorts and splits', async () => {
    const world = generateWorldDataset({ mix: { ADD: 1, REV: 1, TICK: 1 }, size: 3000, split: 'train', seed: 4 }).examples.map(
      (e, i): SourceRecord => ({ kind: 'prompt-completion', line: i + 1, prompt: e.prompt, completion: e.completion, cohort: e.cohort, tags: e.tags }),
    );
    const records = [...world, ...reversalRecords(3000, 2).map((r) => ({ ...r, line: r.line + 3000 }))];
    const { streamed, whole, rows } = await bothWays(records);
    expect(streamed.stats).toEqual(whole.stats);
    expect(streamed.sha256).toBe(whole.sha256);
    expect(streamed.stats.duplicates).toBeGreaterThan(100);
    expect(streamed.stats.splits.train + streamed.stats.splits.validation + streamed.stats.splits.test).toBe(6000);
    expect(vocabOfChars(streamed.chars)).toEqual(buildVocab(rows));
  });

  it('an empty builder gives zero rows and the hash of no records', async () => {
    const { streamed, whole } = await bothWays([]);
    expect(streamed.sha256).toBe(whole.sha256);
    expect(streamed.stats.rows).toBe(0);
    expect(streamed.stats.summary.tokenLengths).toBeUndefined();
  });
});

describe('v2 → v3 dataset migration', () => {
  it('moves every row into chunks in order and keeps every other field', async () => {
    const records = reversalRecords(4500, 8);
    const rows = records.map((r) => recordToRow(r, 1234));
    const old: DatasetRecordV2 = {
      id: 'd1',
      name: 'old.jsonl',
      source: 'file',
      format: 'jsonl',
      createdAt: 7,
      splitSeed: 1234,
      rows,
      badLineList: [{ line: 9, reason: 'not valid JSON' }],
      ...(await summariseRows(rows, 1)),
    };
    const { record, chunks } = datasetV2ToV3(old);
    expect('rows' in record).toBe(false);
    const { rows: _rows, ...meta } = old;
    expect(record).toMatchObject(meta);
    expect(chunks.map((c) => [c.datasetId, c.index])).toEqual([
      ['d1', 0],
      ['d1', 1],
      ['d1', 2],
    ]);
    expect(record.chunkRows).toEqual([2000, 2000, 500]);
    expect(chunks.flatMap((c) => c.rows)).toEqual(rows);
    expect(record.rowBytes).toBe(chunks.reduce((sum, c) => sum + c.bytes, 0));
    expect(vocabOfChars(record.chars)).toEqual(buildVocab(rows));
    expect(rowChars(rows)).toEqual(record.chars);
  });

  it('a v2 dataset without rows becomes an empty chunk list', () => {
    const { record, chunks } = datasetV2ToV3({ id: 'e', rows: [] } as unknown as DatasetRecordV2);
    expect(chunks).toEqual([]);
    expect(record.chunkRows).toEqual([]);
    expect(record.chars).toEqual([]);
  });
});
