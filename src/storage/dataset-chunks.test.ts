// Chunking of stored rows: bounded by rows and bytes, order kept, and page lookups that agree with slicing all rows.
import { describe, expect, it } from 'vitest';
import { reversalRecords } from '../../workers/helpers/example-dataset';
import { Rng } from '../engine/rng';
import { ChunkBuilder, chunkRows, chunkSpans, CHUNK_LIMITS } from './dataset-chunks';
import { recordToRow } from './dataset-rows';
import { serializedBytes } from './size';
import type { DatasetRow } from '../contract';

const rows = reversalRecords(5000, 3).map((r) => recordToRow(r, 1));

describe('chunking rows', () => {
  it('closes a chunk at maxRows, keeps every row once and in order', () => {
    const chunks = chunkRows(rows, { maxRows: 2000, maxBytes: Infinity });
    expect(chunks.map((c) => c.rows.length)).toEqual([2000, 2000, 1000]);
    expect(chunks.flatMap((c) => c.rows)).toEqual(rows);
    expect(chunks[0].bytes).toBe(rows.slice(0, 2000).reduce((sum, r) => sum + serializedBytes(r), 0));
  });

  it('closes a chunk once its bytes reach maxBytes; a row larger than the limit gets a chunk of its own', () => {
    const big: DatasetRow = { ...rows[0], completion: 'x'.repeat(10_000) };
    const mixed = [rows[0], rows[1], big, rows[2]];
    const limit = serializedBytes(rows[0]) + serializedBytes(rows[1]);
    const chunks = chunkRows(mixed, { maxRows: 100, maxBytes: limit });
    // Rows 0+1 reach the limit exactly; the big row alone exceeds it; the last row is the remainder.
    expect(chunks.map((c) => c.rows.length)).toEqual([2, 1, 1]);
    expect(chunks[1].rows[0]).toBe(big);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.bytes).toBeGreaterThanOrEqual(limit);
  });

  it('stays under both default limits on real rows (except the closing row of a byte-full chunk)', () => {
    const wide = rows.map((r, i) => ({ ...r, prompt: r.prompt + 'p'.repeat(500 + (i % 700)) }));
    const chunks = chunkRows(wide);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(chunk.rows.length).toBeLessThanOrEqual(CHUNK_LIMITS.maxRows);
      const withoutLast = chunk.bytes - serializedBytes(chunk.rows.at(-1));
      expect(withoutLast).toBeLessThan(CHUNK_LIMITS.maxBytes);
    }
    expect(chunks.flatMap((c) => c.rows)).toEqual(wide);
  });

  it('the builder hands out nothing until a chunk is full, and flush() returns the remainder once', () => {
    const builder = new ChunkBuilder({ maxRows: 3, maxBytes: Infinity });
    expect(builder.push(rows[0])).toBeNull();
    expect(builder.push(rows[1])).toBeNull();
    expect(builder.push(rows[2])?.rows).toEqual(rows.slice(0, 3));
    expect(builder.flush()).toBeNull();
    builder.push(rows[3]);
    expect(builder.flush()?.rows).toEqual([rows[3]]);
    expect(builder.flush()).toBeNull();
  });
});

describe('chunkSpans', () => {
  it('finds exactly the rows a slice of the whole dataset would, for random chunk sizes and pages', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 200; trial++) {
      const sizes = Array.from({ length: 1 + rng.int(8) }, () => 1 + rng.int(40));
      const total = sizes.reduce((a, b) => a + b, 0);
      const all = Array.from({ length: total }, (_, i) => i);
      const stored: number[][] = [];
      let at = 0;
      for (const size of sizes) stored.push(all.slice(at, (at += size)));
      const offset = rng.int(total + 5);
      const limit = rng.int(60);
      const read = chunkSpans(sizes, offset, limit).flatMap((s) => stored[s.index].slice(s.from, s.to));
      expect(read).toEqual(all.slice(offset, offset + limit));
    }
  });

  it('touches only the chunks that hold the page', () => {
    expect(chunkSpans([2000, 2000, 1000], 1990, 25)).toEqual([
      { index: 0, from: 1990, to: 2000 },
      { index: 1, from: 0, to: 15 },
    ]);
    expect(chunkSpans([2000, 2000, 1000], 4975, 25)).toEqual([{ index: 2, from: 975, to: 1000 }]);
    expect(chunkSpans([2000], 5000, 25)).toEqual([]);
  });
});
