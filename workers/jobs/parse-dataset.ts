// Job: stream a JSONL or CSV file through the data layer's importDataset in the worker, keep bad lines, save the dataset.
import { csvColumns as headerColumns, type CsvColumnMapping } from '../../src/engine/data/csv';
import { importDataset } from '../../src/engine/data/import-dataset';
import type { DatasetRecord as SourceRecord } from '../../src/engine/data/record';
import { DatasetParseError, JobCancelledError } from '../../src/engine/errors';
import { saveDataset } from '../../src/storage/datasets';
import { recordToRow, summariseRows } from '../../src/storage/dataset-rows';
import type { BadLine, DatasetRecord, DatasetSummary } from '../../src/storage/types';

/** Which CSV column holds what; no prompt column means plain-text rows. */
export interface CsvMapping {
  prompt: string | null;
  completion: string;
  cohort: string | null;
}

export interface ParseDatasetInput {
  file: Blob;
  name: string;
  format: 'jsonl' | 'csv';
  csvMapping?: CsvMapping;
  splitSeed: number;
}

export interface ParseProgress {
  bytesRead: number;
  totalBytes: number;
  /** Source lines read so far (blank and bad ones included). */
  lines: number;
}

const BAD_LINES_KEPT = 200;
const HEADER_PEEK_BYTES = 64 * 1024;

function columnMapping(mapping: CsvMapping): CsvColumnMapping {
  const cohort = mapping.cohort ?? undefined;
  return mapping.prompt ? { prompt: mapping.prompt, completion: mapping.completion, cohort } : { text: mapping.completion, cohort };
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

export async function parseDatasetJob(input: ParseDatasetInput, signal: AbortSignal, progress: (p: ParseProgress) => void): Promise<DatasetSummary> {
  if (input.format === 'csv' && !input.csvMapping) {
    throw new DatasetParseError('A CSV file needs a column mapping.', 'Choose which column is the completion (and optionally the prompt).');
  }
  let bytesRead = 0;
  const totalBytes = input.file.size;
  let imported;
  try {
    imported = await importDataset(
      countedText(input.file, (bytes) => (bytesRead = bytes)),
      {
        format: input.format,
        name: input.name,
        columnMapping: input.csvMapping && columnMapping(input.csvMapping),
        maxBadLines: BAD_LINES_KEPT,
        signal,
        onProgress: ({ lines }) => progress({ bytesRead, totalBytes, lines }),
      },
    );
  } catch (error) {
    if (signal.aborted) throw new JobCancelledError('Import cancelled.');
    throw error;
  }
  // The data layer words reasons as "line N: …"; the view shows the number in its own column.
  const badLines = imported.badLines.map(({ line, reason }) => ({ line, reason: reason.replace(/^line \d+: /, '') }));
  if (imported.records.length === 0) {
    const first = badLines[0];
    throw new DatasetParseError(
      first ? `No valid rows: line ${first.line}: ${first.reason}` : 'The file is empty.',
      'Each line must be a JSON object with "prompt" and "completion", "messages", or "text".',
    );
  }
  return storeDataset(input.name, 'file', input.format, imported.records, badLines, imported.badLineCount, input.splitSeed);
}

/** Saves parsed or generated records as a dataset: rows with seeded splits, stats, PII scan, sha-256. */
export async function storeDataset(
  name: string,
  source: DatasetRecord['source'],
  format: DatasetRecord['format'],
  records: readonly SourceRecord[],
  badLineList: BadLine[],
  badCount: number,
  splitSeed: number,
): Promise<DatasetSummary> {
  const rows = records.map((record) => recordToRow(record, splitSeed));
  const record: DatasetRecord = {
    id: crypto.randomUUID(),
    name,
    source,
    format,
    createdAt: Date.now(),
    splitSeed,
    rows,
    badLineList,
    ...(await summariseRows(rows, badCount)),
  };
  await saveDataset(record);
  const { rows: _rows, ...summary } = record;
  return summary;
}
