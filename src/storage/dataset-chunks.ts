// Cutting a dataset's rows into bounded chunks (row count and bytes), and finding which chunks hold a page of rows.
import { serializedBytes } from './size';
import type { DatasetRow } from '../contract';

export interface ChunkLimits {
  /** A chunk is closed when it holds this many rows… */
  maxRows: number;
  /** …or when its rows' approximate size reaches this many bytes (a single larger row still gets a chunk of its own). */
  maxBytes: number;
}

/** ~2,000 rows or ~2 MB as stored (serializedBytes): small enough that one chunk is a short transaction and a quick read, large enough to write fast. */
export const CHUNK_LIMITS: ChunkLimits = { maxRows: 2000, maxBytes: 2 * 1024 * 1024 };

export interface ClosedChunk {
  rows: DatasetRow[];
  bytes: number;
}

/** Collects rows in order and hands back each chunk as soon as it is full. */
export class ChunkBuilder {
  private rows: DatasetRow[] = [];
  private bytes = 0;

  constructor(private readonly limits: ChunkLimits = CHUNK_LIMITS) {}

  /** Adds a row; returns the chunk it completed, if any. */
  push(row: DatasetRow): ClosedChunk | null {
    this.rows.push(row);
    this.bytes += serializedBytes(row);
    return this.rows.length >= this.limits.maxRows || this.bytes >= this.limits.maxBytes ? this.take() : null;
  }

  /** The rows not yet handed out (null when there are none). */
  flush(): ClosedChunk | null {
    return this.rows.length > 0 ? this.take() : null;
  }

  private take(): ClosedChunk {
    const chunk = { rows: this.rows, bytes: this.bytes };
    this.rows = [];
    this.bytes = 0;
    return chunk;
  }
}

/** All rows in chunks, as the import and the schema migration store them. */
export function chunkRows(rows: readonly DatasetRow[], limits: ChunkLimits = CHUNK_LIMITS): ClosedChunk[] {
  const builder = new ChunkBuilder(limits);
  const chunks: ClosedChunk[] = [];
  for (const row of rows) {
    const chunk = builder.push(row);
    if (chunk) chunks.push(chunk);
  }
  const last = builder.flush();
  if (last) chunks.push(last);
  return chunks;
}

export interface ChunkSpan {
  /** Chunk index. */
  index: number;
  /** Rows to take from that chunk: [from, to). */
  from: number;
  to: number;
}

/** Which chunks (and which rows of each) hold rows [offset, offset + limit) of a dataset stored in chunks of these sizes. */
export function chunkSpans(chunkSizes: readonly number[], offset: number, limit: number): ChunkSpan[] {
  const spans: ChunkSpan[] = [];
  const end = offset + limit;
  let start = 0;
  for (let index = 0; index < chunkSizes.length && start < end; index++) {
    const stop = start + chunkSizes[index];
    if (stop > offset) spans.push({ index, from: Math.max(0, offset - start), to: Math.min(chunkSizes[index], end - start) });
    start = stop;
  }
  return spans;
}
