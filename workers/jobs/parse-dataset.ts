// Job: stream a JSONL, JSON-array, CSV or Parquet file through the data layer in the worker, saving rows in chunks as they come.
import type { CsvMapping, DatasetPreview, ParseDatasetInput, ParseProgress } from '../../src/contract';
import { detectRowFormat } from '../../src/engine/data/chat-formats';
import { csvColumns as headerColumns, type CsvColumnMapping } from '../../src/engine/data/csv';
import { importDataset } from '../../src/engine/data/import-dataset';
import { jsonArrayItems, parseJsonArray, parseJsonItems, parseJsonlLine, splitLines } from '../../src/engine/data/jsonl';
import type { ParseResult } from '../../src/engine/data/jsonl';
import { blobBuffer, checkReadable, detectTableFormat, parquetHead, parseParquet, previewCell, readParquetInfo, type ParquetInfo, type TableMapping } from '../../src/engine/data/parquet';
import type { AsyncBuffer } from 'hyparquet';
import { csvMappingProblem } from '../../src/engine/data/csv-mapping-check';
import type { DatasetRecord as SourceRecord } from '../../src/engine/data/record';
import { DatasetParseError, JobCancelledError } from '../../src/engine/errors';
import { DatasetWriter } from '../../src/storage/dataset-writer';
import type { DatasetRecord, DatasetSummary } from '../../src/contract';

const BAD_LINES_KEPT = 200;
const HEADER_PEEK_BYTES = 64 * 1024;
const PREVIEW_ROWS = 5;

function columnMapping(mapping: CsvMapping): CsvColumnMapping {
  // The form refuses these too; a mapping from elsewhere must not import prompts as their own completions.
  const problem = csvMappingProblem(mapping);
  if (problem) throw new DatasetParseError(problem, 'Pick the columns in the CSV column mapping, then import again.');
  // Exactly the columns the user chose: a field left out is mapped to none, not to a column that happens to share its name.
  const cohort = mapping.cohort;
  return mapping.prompt
    ? { prompt: mapping.prompt, completion: mapping.completion, text: null, messages: null, cohort }
    : { text: mapping.completion, prompt: null, completion: null, messages: null, cohort };
}

/** The file's text as it streams, counting the bytes read for the progress bar. */
function countedText(file: Blob, onBytes: (bytes: number) => void): ReadableStream<string> {
  let bytes = 0;
  const counter = new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      onBytes(bytes);
      controller.enqueue(chunk);
    },
  });
  return file.stream().pipeThrough(counter).pipeThrough(new TextDecoderStream('utf-8'));
}

/** The header row of a CSV file, for the column-mapping form (reads only the start of the file). */
export async function csvColumns(file: Blob): Promise<string[]> {
  const start = await file.slice(0, HEADER_PEEK_BYTES).text();
  const header = start.split(/\r?\n/).find((line) => line.trim().length > 0);
  if (!header) throw new DatasetParseError('The CSV file is empty.', 'Choose a CSV file whose first line names its columns.');
  return headerColumns(header);
}

/** Whether a .json file holds one JSON array (Alpaca's alpaca_data.json) rather than JSON Lines. */
async function isJsonArray(file: Blob, name: string): Promise<boolean> {
  if (!/\.json$/i.test(name)) return false;
  const start = (await file.slice(0, 1024).text()).replace(/^\ufeff/, '').trimStart();
  return start.startsWith('[');
}

/** The first rows of a JSONL or JSON-array file as TuneLab reads them, and the format of the first, for the preview. */
export async function jsonPreview(file: Blob, name: string): Promise<DatasetPreview> {
  const preview: DatasetPreview = { detected: null, records: [], badLines: [] };
  if (await isJsonArray(file, name)) {
    // A JSON array is parsed whole; the preview then reads its first elements.
    const items = jsonArrayItems(await file.text());
    const { records, badLines } = await parseJsonItems(items.slice(0, PREVIEW_ROWS));
    return { detected: detectRowFormat(items[0]), records, badLines };
  }
  const start = await file.slice(0, HEADER_PEEK_BYTES).text();
  const lines: string[] = [];
  for await (const { text } of splitLines(start)) lines.push(text);
  // The peek may end mid-line: the last line is complete only when the whole file fitted.
  if (file.size > HEADER_PEEK_BYTES) lines.pop();
  for (let i = 0; i < lines.length && preview.records.length + preview.badLines.length < PREVIEW_ROWS; i++) {
    const parsed = parseJsonlLine(lines[i], i + 1);
    if (!parsed) continue;
    if (preview.detected === null && 'record' in parsed) {
      try {
        preview.detected = detectRowFormat(JSON.parse(lines[i]));
      } catch {
        // parseJsonlLine already said why.
      }
    }
    if ('record' in parsed) preview.records.push(parsed.record);
    else preview.badLines.push(parsed.bad);
  }
  return preview;
}

/** A Parquet file's columns, detected format, first rows raw and as records (reads the footer and the first row group). */
export async function parquetPreview(file: AsyncBuffer): Promise<DatasetPreview> {
  const info = await readParquetInfo(file);
  return previewOf(file, info);
}

export async function previewOf(file: AsyncBuffer, info: ParquetInfo): Promise<DatasetPreview> {
  const shown = info.columns.filter((c) => c.type !== 'binary').map((c) => c.name);
  // A codec or encoding the reader lacks is named (by column) before any row is read, so the preview already says it.
  checkReadable(info, { format: 'detected' }, shown);
  const head = (await parquetHead(file, info, shown, PREVIEW_ROWS)).map((row) => Object.fromEntries(shown.map((c) => [c, previewCell(row[c])])));
  const detected = detectTableFormat(info.columns);
  const table = { columns: info.columns, rows: info.rows, rowGroups: info.rowGroups, head };
  if (!detected) return { detected, records: [], badLines: [], table };
  const { records, badLines } = await parseParquet(file, info, { format: 'detected' }, { maxRows: PREVIEW_ROWS, maxBadLines: PREVIEW_ROWS });
  return { detected, records, badLines, table };
}

/**
 * Reads Parquet parts in order into one result, rows numbered on across parts; each part is opened only when its turn
 * comes (a Hub split's files are read from the cache one at a time). `onBytes` hears the bytes of all parts so far.
 */
export async function parseParquetParts(
  parts: readonly (() => Promise<AsyncBuffer>)[],
  mapping: TableMapping,
  options: Parameters<typeof parseParquet>[3] & { onBytes?: (bytes: number) => void },
): Promise<ParseResult> {
  const total: ParseResult = { records: [], badLines: [], badLineCount: 0, lineCount: 0 };
  let before = 0;
  for (const open of parts) {
    const file = await open();
    const info = await readParquetInfo(file);
    const result = await parseParquet(file, info, mapping, {
      ...options,
      rowOffset: total.lineCount,
      maxBadLines: Math.max(0, (options.maxBadLines ?? 1000) - total.badLines.length),
      onBytes: (bytes) => options.onBytes?.(before + bytes),
    });
    before += file.byteLength;
    total.records.push(...result.records);
    total.badLines.push(...result.badLines);
    total.badLineCount += result.badLineCount;
    total.lineCount = result.lineCount;
  }
  return total;
}

const EMPTY_HINT: Record<ParseDatasetInput['format'], string> = {
  jsonl: 'Each line must be a JSON object with "prompt" and "completion", "messages", "text", ShareGPT "conversations" or Alpaca "instruction"/"output".',
  csv: 'Each row needs text in the mapped columns.',
  parquet: 'Each row needs text in the mapped columns.',
};

/** Parses into a DatasetWriter and finishes it; nothing is kept when parsing fails, finds no row or is cancelled. */
export async function storeParsed(
  writer: DatasetWriter,
  format: ParseDatasetInput['format'],
  signal: AbortSignal,
  parse: (onRecord: (record: SourceRecord) => Promise<void> | undefined) => Promise<ParseResult>,
): Promise<DatasetSummary> {
  try {
    const imported = await parse((record) => writer.add(record));
    // The data layer words reasons as "line N: …" ("row N: …", "item N: …"); the view shows the number in its own column.
    const badLines = imported.badLines.map(({ line, reason }) => ({ line, reason: reason.replace(/^(line|row|item) \d+: /, '') }));
    if (writer.rowCount === 0) {
      const first = imported.badLines[0];
      throw new DatasetParseError(first ? `No valid rows: ${first.reason}` : 'The file is empty.', EMPTY_HINT[format]);
    }
    signal.throwIfAborted();
    return await writer.finish(badLines, imported.badLineCount);
  } catch (error) {
    await writer.discard();
    if (signal.aborted) throw new JobCancelledError('Import cancelled; nothing was saved.');
    throw error;
  }
}

export async function parseDatasetJob(input: ParseDatasetInput, signal: AbortSignal, progress: (p: ParseProgress) => void): Promise<DatasetSummary> {
  if (input.format === 'csv' && !input.csvMapping) {
    throw new DatasetParseError('A CSV file needs a column mapping.', 'Choose which column is the completion (and optionally the prompt).');
  }
  let bytesRead = 0;
  let lines = 0;
  let rowsSaved = 0;
  const totalBytes = input.file.size;
  const phase = input.format === 'parquet' ? ('read' as const) : undefined;
  const report = () => progress({ bytesRead, totalBytes, lines, rowsSaved, phase });
  const writer = new DatasetWriter({ name: input.name, source: 'file', format: input.format, splitSeed: input.splitSeed }, (saved) => {
    rowsSaved = saved;
    report();
  });
  const onProgress = (p: { lines: number }) => {
    lines = p.lines;
    report();
  };
  const common = { maxBadLines: BAD_LINES_KEPT, signal, onProgress };
  return storeParsed(writer, input.format, signal, async (onRecord) => {
    if (input.format === 'parquet') {
      const file = blobBuffer(input.file);
      return parseParquetParts([async () => file], input.tableMapping ?? { format: 'detected' }, { ...common, onRecord, onBytes: (bytes) => (bytesRead = bytes) });
    }
    if (input.format === 'jsonl' && (await isJsonArray(input.file, input.name))) {
      const text = await input.file.text();
      bytesRead = totalBytes;
      return parseJsonArray(text, { ...common, onRecord });
    }
    return importDataset(countedText(input.file, (bytes) => (bytesRead = bytes)), {
      ...common,
      format: input.format,
      name: input.name,
      columnMapping: input.csvMapping && columnMapping(input.csvMapping),
      // Rows go to storage as they are parsed: the file is never held as one array of records.
      onRecord,
    });
  });
}

/** Saves generated records as a dataset (rows with seeded splits, stats, PII scan, sha-256), chunk by chunk. */
export async function storeDataset(
  name: string,
  source: DatasetRecord['source'],
  format: DatasetRecord['format'],
  records: Iterable<SourceRecord>,
  splitSeed: number,
): Promise<DatasetSummary> {
  const writer = new DatasetWriter({ name, source, format, splitSeed });
  try {
    for (const record of records) await writer.add(record);
    return await writer.finish([], 0);
  } catch (error) {
    await writer.discard();
    throw error;
  }
}
