// Dataset minus records: the kept rows' content hash (as the dataset writer computes it) against an independent sha-256 of the definition.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalRecord } from '../engine/data/record-id';
import type { DatasetRecord as SourceRecord } from '../engine/data/record';
import { partitionRows } from './dataset-forget';
import { recordToRow, rowRecord } from './dataset-rows';
import { DatasetSummaryBuilder } from './dataset-summary';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** The content hash by its definition, with Node's sha-256: sorted per-record digests joined by new lines. */
const referenceHash = (records: SourceRecord[]) => sha(records.map((r) => sha(canonicalRecord(r))).sort().join('\n'));

function streamedHash(records: SourceRecord[]): string {
  const builder = new DatasetSummaryBuilder();
  for (const r of records) builder.add(r, recordToRow(r, 9));
  return builder.finish(0).sha256;
}

const records: SourceRecord[] = [
  { kind: 'prompt-completion', line: 1, prompt: 'Reverse: cat', completion: 'tac' },
  { kind: 'prompt-completion', line: 2, prompt: 'Reverse: dog', completion: 'god', cohort: 'pets' },
  { kind: 'text', line: 3, text: 'my account pin is 40213', cohort: 'canary', tags: ['canary'] },
  { kind: 'text', line: 4, text: 'my account pin is 40213', cohort: 'canary', tags: ['canary'] },
  { kind: 'text', line: 5, text: 'hello world' },
];

describe('dataset minus records', () => {
  it('removes every copy of a removed record, keeps order, and hashes the kept records by the definition', () => {
    const rows = records.map((r) => recordToRow(r, 9));
    const canaryId = rows[2].id;
    expect(rows[3].id).toBe(canaryId); // exact duplicates share a record id
    const { kept, removed } = partitionRows(rows, new Set([canaryId]));
    expect(removed.map((r) => r.line)).toEqual([3, 4]);
    expect(kept.map((r) => r.line)).toEqual([1, 2, 5]);
    const keptRecords = kept.map(rowRecord);
    const after = streamedHash(keptRecords);
    expect(after).toBe(referenceHash([records[0], records[1], records[4]]));
    expect(streamedHash(records)).toBe(referenceHash(records));
    expect(after).not.toBe(streamedHash(records));
    // Only content counts: the same kept records in another order have the same hash.
    expect(streamedHash([...keptRecords].reverse())).toBe(after);
  });
});
