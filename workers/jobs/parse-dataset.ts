// Job: stream a JSONL or CSV file into dataset rows in the worker, keep the bad lines with reasons, save the dataset.
import Papa from 'papaparse';
import { DatasetParseError, JobCancelledError } from '../../src/engine/errors';
import { saveDataset } from '../../src/storage/datasets';
import type { BadLine, DatasetRecord, DatasetRow, DatasetSummary } from '../../src/storage/types';
import { jsonlLineToRow, recordToRow } from './dataset-records';
import { contentHash, datasetStats } from './dataset-stats';

/** Which CSV column holds what; prompt may be empty for plain-text rows. */
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
  rows: number;
  badLines: number;
}

const BAD_LINES_KEPT = 200;

class RowCollector {
  rows: DatasetRow[] = [];
  bad: BadLine[] = [];
  badCount = 0;
  add(result: DatasetRow | string | null, line: number): void {
    if (result === null) return;
    if (typeof result === 'string') {
      this.badCount++;
      if (this.bad.length < BAD_LINES_KEPT) this.bad.push({ line, reason: result });
    } else this.rows.push(result);
  }
}

async function parseJsonl(input: ParseDatasetInput, collector: RowCollector, signal: AbortSignal, progress: (p: ParseProgress) => void): Promise<void> {
  const reader = input.file.stream().pipeThrough(new TextDecoderStream()).getReader();
  let carry = '';
  let line = 0;
  let bytesRead = 0;
  while (true) {
    if (signal.aborted) throw new JobCancelledError('Import cancelled.');
    const { done, value } = await reader.read();
    if (done) break;
    bytesRead += value.length;
    const parts = (carry + value).split('\n');
    carry = parts.pop()!;
    for (const text of parts) collector.add(jsonlLineToRow(text.replace(/\r$/, ''), ++line), line);
    progress({ bytesRead: Math.min(bytesRead, input.file.size), totalBytes: input.file.size, rows: collector.rows.length, badLines: collector.badCount });
  }
  if (carry) collector.add(jsonlLineToRow(carry.replace(/\r$/, ''), ++line), line);
}

function parseCsv(input: ParseDatasetInput, collector: RowCollector, signal: AbortSignal, progress: (p: ParseProgress) => void): Promise<void> {
  const mapping = input.csvMapping;
  if (!mapping) throw new DatasetParseError('A CSV file needs a column mapping.', 'Choose which column is the completion (and optionally the prompt).');
  return new Promise((resolve, reject) => {
    let line = 1; // the header is line 1
    Papa.parse<Record<string, string>>(input.file as File, {
      header: true,
      skipEmptyLines: true,
      chunk(results, parser) {
        if (signal.aborted) {
          parser.abort();
          reject(new JobCancelledError('Import cancelled.'));
          return;
        }
        for (const row of results.data) {
          line++;
          const record: Record<string, unknown> = {
            prompt: mapping.prompt ? (row[mapping.prompt] ?? '') : '',
            completion: row[mapping.completion],
          };
          if (mapping.cohort && row[mapping.cohort]) record.cohort = row[mapping.cohort];
          collector.add(recordToRow(record, line), line);
        }
        for (const error of results.errors) collector.add(`CSV: ${error.message}`, (error.row ?? 0) + 2);
        progress({ bytesRead: results.meta.cursor, totalBytes: input.file.size, rows: collector.rows.length, badLines: collector.badCount });
      },
      complete: () => resolve(),
      error: (error) => reject(new DatasetParseError(`Could not read the CSV file: ${error.message}`, 'Check that it is a text CSV with a header row.')),
    });
  });
}

/** The header row of a CSV file, for the column-mapping form. */
export function csvColumns(file: Blob): Promise<string[]> {
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(file as File, {
      preview: 1,
      complete: (results) => resolve((results.data[0] ?? []).map(String)),
      error: (error) => reject(new DatasetParseError(`Could not read the CSV header: ${error.message}`, 'Check that the file is a CSV with a header row.')),
    });
  });
}

export async function parseDatasetJob(input: ParseDatasetInput, signal: AbortSignal, progress: (p: ParseProgress) => void): Promise<DatasetSummary> {
  const collector = new RowCollector();
  if (input.format === 'jsonl') await parseJsonl(input, collector, signal, progress);
  else await parseCsv(input, collector, signal, progress);
  if (collector.rows.length === 0) {
    const first = collector.bad[0];
    throw new DatasetParseError(
      first ? `No valid rows: line ${first.line}: ${first.reason}` : 'The file is empty.',
      'Each line must be a JSON object with "prompt" and "completion", "messages", or "text".',
    );
  }
  return storeDataset(input.name, 'file', input.format, collector.rows, collector.bad, collector.badCount, input.splitSeed);
}

export async function storeDataset(
  name: string,
  source: DatasetRecord['source'],
  format: DatasetRecord['format'],
  rows: DatasetRow[],
  badLineList: BadLine[],
  badCount: number,
  splitSeed: number,
): Promise<DatasetSummary> {
  const record: DatasetRecord = {
    id: crypto.randomUUID(),
    name,
    source,
    format,
    createdAt: Date.now(),
    sha256: await contentHash(rows),
    splitSeed,
    rows,
    badLineList,
    stats: datasetStats(rows, badCount, splitSeed),
  };
  await saveDataset(record);
  const { rows: _rows, ...summary } = record;
  return summary;
}
