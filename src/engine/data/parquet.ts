// Parquet import (hyparquet): the file's columns, a preview, and its rows streamed one row group at a time as records.
import { preferenceTexts } from './preference';
import { gunzipSync } from 'fflate';
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type Compressors, type FileMetaData, type SchemaTree } from 'hyparquet';
import { DatasetParseError, ParquetFormatError } from '../errors';
import { detectRowFormat, type RowFormat } from './chat-formats';
import type { ParseOptions, ParseResult } from './jsonl';
import { checkRecord, type BadLine, type DatasetRecord } from './record';

/** One top-level column: its name, its type in words, and whether it holds lists or structs rather than one value. */
export interface ParquetColumn {
  name: string;
  type: string;
  nested: boolean;
}

export interface ParquetInfo {
  metadata: FileMetaData;
  columns: ParquetColumn[];
  rows: number;
  rowGroups: number;
}

/**
 * How rows become records: 'detected' reads a row as a JSONL object would be read (messages, ShareGPT `conversations`,
 * Alpaca `instruction`/`input`/`output`, prompt/completion or text, by its columns); 'columns' maps chosen columns, as for CSV.
 */
export type TableMapping = { format: 'detected' } | { format: 'columns'; prompt: string | null; completion: string; cohort: string | null };

/** Codecs hyparquet decompresses itself (Snappy) or with fflate here (gzip); Parquet files from pandas/pyarrow default to Snappy. */
const COMPRESSORS: Compressors = { GZIP: (input) => gunzipSync(input) };
const READABLE_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP']);
/** Every data encoding hyparquet 1.x decodes (levels use RLE / BIT_PACKED). */
const READABLE_ENCODINGS = new Set([
  'PLAIN',
  'PLAIN_DICTIONARY',
  'RLE_DICTIONARY',
  'RLE',
  'BIT_PACKED',
  'DELTA_BINARY_PACKED',
  'DELTA_LENGTH_BYTE_ARRAY',
  'DELTA_BYTE_ARRAY',
  'BYTE_STREAM_SPLIT',
  'ALP',
]);
const REWRITE_HINT =
  'Write the file again with Snappy (or no) compression and default encodings, e.g. pandas: df.to_parquet("data.parquet", compression="snappy"), or pyarrow: pq.write_table(table, "data.parquet", compression="snappy").';
/** Fields a detected row may carry beside its text. */
const EXTRA_FIELDS = ['cohort', 'tags'];
const FORMAT_COLUMNS: Record<RowFormat, string[]> = {
  messages: ['messages'],
  sharegpt: ['conversations'],
  alpaca: ['instruction', 'input', 'output'],
  'prompt-completion': ['prompt', 'completion'],
  text: ['text'],
};

/** A Blob/File read by byte ranges (only the footer and the row groups being read are in memory). */
export function blobBuffer(blob: Blob): AsyncBuffer {
  return { byteLength: blob.size, slice: (start, end) => blob.slice(start, end).arrayBuffer() };
}

/** Bytes already in memory (a downloaded Hub file). */
export function bytesBuffer(bytes: Uint8Array): AsyncBuffer {
  return { byteLength: bytes.byteLength, slice: (start, end) => bytes.slice(start, end).buffer };
}

function typeOf(node: SchemaTree): string {
  const e = node.element;
  const logical = e.logical_type?.type;
  if (logical === 'LIST' || e.converted_type === 'LIST') return 'list';
  if (logical === 'MAP' || e.converted_type === 'MAP') return 'map';
  if (node.children.length > 0) return 'struct';
  if (logical === 'STRING' || e.converted_type === 'UTF8' || logical === 'JSON' || e.converted_type === 'JSON') return 'text';
  if (e.type === 'BOOLEAN') return 'boolean';
  if (e.type === 'BYTE_ARRAY' || e.type === 'FIXED_LEN_BYTE_ARRAY') return 'binary';
  return 'number';
}

/** The footer: columns, row and row-group counts. A file that is not Parquet says so. */
export async function readParquetInfo(file: AsyncBuffer): Promise<ParquetInfo> {
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new DatasetParseError(
      `This is not a Parquet file TuneLab can read (${error instanceof Error ? error.message : String(error)}).`,
      'Choose a .parquet file (it ends with the bytes "PAR1"); JSON Lines and CSV files need the .jsonl or .csv extension.',
    );
  }
  const columns = parquetSchema(metadata).children.map((node) => {
    const type = typeOf(node);
    return { name: node.element.name, type, nested: node.children.length > 0 };
  });
  return { metadata, columns, rows: Number(metadata.num_rows), rowGroups: metadata.row_groups.length };
}

/** The format the columns imply (as a JSONL row with these keys would be read), or null. */
export function detectTableFormat(columns: readonly ParquetColumn[]): RowFormat | null {
  return detectRowFormat(Object.fromEntries(columns.map((c) => [c.name, true])));
}

/** The columns a mapping reads (nothing else is decoded: a dataset's image or audio columns are never touched). */
export function columnsToRead(info: ParquetInfo, mapping: TableMapping): string[] {
  const names = new Set(info.columns.map((c) => c.name));
  if (mapping.format === 'columns') {
    return [...new Set([mapping.prompt, mapping.completion, mapping.cohort].filter((c): c is string => !!c))];
  }
  const format = detectTableFormat(info.columns);
  if (!format) {
    throw new DatasetParseError(
      `No column holds training text in a form TuneLab knows. The columns are: ${info.columns.map((c) => c.name).join(', ')}.`,
      'Map the prompt and completion columns yourself, or use columns named messages, conversations (ShareGPT), instruction/input/output (Alpaca), prompt/completion or text.',
    );
  }
  return [...FORMAT_COLUMNS[format], ...EXTRA_FIELDS].filter((c) => names.has(c));
}

/** Refuses, before any row is read, a column hyparquet cannot decompress or decode, or a nested column mapped to text. */
export function checkReadable(info: ParquetInfo, mapping: TableMapping, columns: readonly string[]): void {
  const wanted = new Set(columns);
  for (const name of columns) {
    const column = info.columns.find((c) => c.name === name);
    if (!column) {
      throw new DatasetParseError(`The Parquet file has no column "${name}". Its columns are: ${info.columns.map((c) => c.name).join(', ')}.`, 'Pick one of the listed columns.');
    }
    if (mapping.format === 'columns' && (column.nested || column.type === 'binary')) {
      throw new ParquetFormatError(
        `Column "${name}" holds ${column.nested ? `nested values (a ${column.type})` : 'binary data'}, not text, so it cannot be a prompt, completion or cohort.`,
        column.nested ? 'Map a text column, or flatten it first (e.g. pandas: df["col"] = df["col"].apply(json.dumps)); a messages or conversations column is read by itself when you choose the detected format.' : 'Map a text column.',
      );
    }
  }
  for (const group of info.metadata.row_groups) {
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (!meta || !wanted.has(meta.path_in_schema[0])) continue;
      const path = meta.path_in_schema.join('.');
      if (!READABLE_CODECS.has(meta.codec)) {
        throw new ParquetFormatError(`Column "${path}" is compressed with ${meta.codec}, which TuneLab's Parquet reader cannot decompress (it reads Snappy, gzip and uncompressed files).`, REWRITE_HINT);
      }
      const unknown = meta.encodings.find((e) => !READABLE_ENCODINGS.has(e));
      if (unknown) throw new ParquetFormatError(`Column "${path}" uses the ${unknown} encoding, which TuneLab's Parquet reader cannot decode.`, REWRITE_HINT);
    }
  }
}

/** Nulls dropped all the way down (an absent optional field), bigints as numbers: the row then reads like parsed JSON. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && !(value instanceof Date) && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== null && v !== undefined) out[key] = plain(v);
    return out;
  }
  return value;
}

function cellText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(plain(value));
}

/** One row as a record (or the reason it is not one), `line` being its 1-based row number. */
export function rowToRecord(row: Record<string, unknown>, mapping: TableMapping, line: number) {
  if (mapping.format === 'detected') return checkRecord(plain(row), line);
  const value: Record<string, unknown> = {};
  const completion = cellText(row[mapping.completion]);
  if (mapping.prompt) {
    value.prompt = cellText(row[mapping.prompt]) ?? '';
    if (completion !== undefined) value.completion = completion;
    else return { ok: false as const, reason: `the completion column "${mapping.completion}" is empty` };
  } else if (completion !== undefined) value.text = completion;
  else return { ok: false as const, reason: `the text column "${mapping.completion}" is empty` };
  if (mapping.cohort) value.cohort = cellText(row[mapping.cohort]);
  return checkRecord(value, line);
}

/** A cell as the preview shows it (lists and structs as JSON). */
export function previewCell(value: unknown): string {
  return cellText(value) ?? '';
}

export interface ParquetRowsOptions extends ParseOptions {
  /** Row number of the file's first row minus one (a split's later files continue the numbering). Default 0. */
  rowOffset?: number;
  /** Bytes of the file read so far (the footer, then each row group as it is decoded). */
  onBytes?: (bytes: number) => void;
  /** Read only up to this many rows (a preview). */
  maxRows?: number;
}

/** The first `count` rows, raw, for a preview (reads only the row groups that hold them). */
export async function parquetHead(file: AsyncBuffer, info: ParquetInfo, columns: readonly string[], count: number): Promise<Record<string, unknown>[]> {
  return readGroup(file, info, columns, 0, Math.min(count, info.rows), -1);
}

async function readGroup(file: AsyncBuffer, info: ParquetInfo, columns: readonly string[], rowStart: number, rowEnd: number, group: number): Promise<Record<string, unknown>[]> {
  try {
    return await parquetReadObjects({ file, metadata: info.metadata, columns: [...columns], rowStart, rowEnd, compressors: COMPRESSORS });
  } catch (error) {
    const where = group >= 0 ? `row group ${group + 1} of ${info.rowGroups} (rows ${rowStart + 1}–${rowEnd})` : `rows ${rowStart + 1}–${rowEnd}`;
    throw new ParquetFormatError(`Reading ${where} of the Parquet file failed: ${error instanceof Error ? error.message : String(error)}.`, `The file may be damaged or use a Parquet feature TuneLab's reader lacks. ${REWRITE_HINT}`);
  }
}

/** Streams the file's rows one row group at a time into records; bad rows are listed as "row N: reason". */
export async function parseParquet(file: AsyncBuffer, info: ParquetInfo, mapping: TableMapping, options: ParquetRowsOptions = {}): Promise<ParseResult> {
  const columns = columnsToRead(info, mapping);
  checkReadable(info, mapping, columns);
  const maxBad = options.maxBadLines ?? 1000;
  const offset = options.rowOffset ?? 0;
  const result: ParseResult = { records: [], badLines: [], badLineCount: 0, lineCount: 0 };
  const bad = (line: number, reason: string) => {
    result.badLineCount++;
    if (result.badLines.length < maxBad) result.badLines.push({ line, reason: `row ${line}: ${reason}` } satisfies BadLine);
  };
  let bytes = Number(info.metadata.metadata_length) + 8;
  options.onBytes?.(Math.min(bytes, file.byteLength));
  let groupStart = 0;
  let chars = 0;
  for (let g = 0; g < info.metadata.row_groups.length; g++) {
    options.signal?.throwIfAborted();
    const group = info.metadata.row_groups[g];
    const groupRows = Number(group.num_rows);
    const groupEnd = Math.min(groupStart + groupRows, options.maxRows ?? Infinity);
    const rows = groupEnd > groupStart ? await readGroup(file, info, columns, groupStart, groupEnd, g) : [];
    for (let r = 0; r < rows.length; r++) {
      const line = offset + groupStart + r + 1;
      const check = rowToRecord(rows[r], mapping, line);
      if (!check.ok) {
        bad(line, check.reason);
        continue;
      }
      chars += recordChars(check.record);
      if (!options.onRecord) result.records.push(check.record);
      else await options.onRecord(check.record);
    }
    result.lineCount = offset + groupEnd;
    bytes += group.columns.reduce((sum, c) => sum + Number(c.meta_data?.total_compressed_size ?? 0), 0);
    options.onBytes?.(Math.min(bytes, file.byteLength));
    options.onProgress?.({ lines: result.lineCount, chars });
    groupStart += groupRows;
    if (groupEnd < groupStart) break;
  }
  return result;
}

function recordChars(record: DatasetRecord): number {
  if (record.kind === 'text') return record.text.length;
  if (record.kind === 'prompt-completion') return record.prompt.length + record.completion.length;
  if (record.kind === 'preference') return preferenceTexts(record).reduce((n, t) => n + t.length, 0);
  return record.messages.reduce((n, m) => n + m.content.length, 0);
}
