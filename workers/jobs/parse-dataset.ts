// Job: stream a JSONL or CSV file through the data layer's importDataset in the worker, saving rows in chunks as they come.
import type { CsvMapping, ParseDatasetInput, ParseProgress } from '../../src/contract';
import { csvColumns as headerColumns, type CsvColumnMapping } from '../../src/engine/data/csv';
import { importDataset } from '../../src/engine/data/import-dataset';
import { csvMappingProblem } from '../../src/engine/data/csv-mapping-check';
import type { DatasetRecord as SourceRecord } from '../../src/engine/data/record';
import { DatasetParseError, JobCancelledError } from '../../src/engine/errors';
import { DatasetWriter } from '../../src/storage/dataset-writer';
import type { DatasetRecord, DatasetSummary } from '../../src/storage/types';

const BAD_LINES_KEPT = 200;
const HEADER_PEEK_BYTES = 64 * 1024;

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

export async function parseDatasetJob(input: ParseDatasetInput, signal: AbortSignal, progress: (p: ParseProgress) => void): Promise<DatasetSummary> {
  if (input.format === 'csv' && !input.csvMapping) {
    throw new DatasetParseError('A CSV file needs a column mapping.', 'Choose which column is the completion (and optionally the prompt).');
  }
  let bytesRead = 0;
  let lines = 0;
  let rowsSaved = 0;
  const totalBytes = input.file.size;
  const report = () => progress({ bytesRead, totalBytes, lines, rowsSaved });
  const writer = new DatasetWriter({ name: input.name, source: 'file', format: input.format, splitSeed: input.splitSeed }, (saved) => {
    rowsSaved = saved;
    report();
  });
  try {
    const imported = await importDataset(
      countedText(input.file, (bytes) => (bytesRead = bytes)),
      {
        format: input.format,
        name: input.name,
        columnMapping: input.csvMapping && columnMapping(input.csvMapping),
        maxBadLines: BAD_LINES_KEPT,
        signal,
        onProgress: (p) => {
          lines = p.lines;
          report();
        },
        // Rows go to storage as they are parsed: the file is never held as one array of records.
        onRecord: (record) => writer.add(record),
      },
    );
    // The data layer words reasons as "line N: …"; the view shows the number in its own column.
    const badLines = imported.badLines.map(({ line, reason }) => ({ line, reason: reason.replace(/^line \d+: /, '') }));
    if (writer.rowCount === 0) {
      const first = badLines[0];
      throw new DatasetParseError(
        first ? `No valid rows: line ${first.line}: ${first.reason}` : 'The file is empty.',
        'Each line must be a JSON object with "prompt" and "completion", "messages", or "text".',
      );
    }
    signal.throwIfAborted();
    return await writer.finish(badLines, imported.badLineCount);
  } catch (error) {
    await writer.discard();
    if (signal.aborted) throw new JobCancelledError('Import cancelled; nothing was saved.');
    throw error;
  }
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
