// One call for the worker: parse a dataset file (JSONL or CSV, by name or explicit format) and summarise it.

import { DatasetParseError } from '../errors';
import type { Tokenizer } from '../tokenizers/tokenizer';
import { parseCsv, type CsvColumnMapping } from './csv';
import { datasetContentHash } from './dataset-hash';
import { computeDatasetStats, type DatasetStats } from './dataset-stats';
import { parseJsonl, type ParseOptions, type ParseResult } from './jsonl';
import { scanPii, type PiiReport } from './pii-scan';
import type { DatasetRecord } from './record';
import { blobTextChunks, type TextSource } from './text-source';

export type DatasetFormat = 'jsonl' | 'csv';

/** The format a file name implies: .jsonl/.ndjson/.json → jsonl, .csv/.tsv → csv. */
export function formatOfFileName(name: string): DatasetFormat | undefined {
  const ext = name.toLowerCase().split('.').pop();
  if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json') return 'jsonl';
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  return undefined;
}

export interface ImportDatasetOptions extends ParseOptions {
  /** CSV delimiter; detected from the header when unset (tab for .tsv). */
  delimiter?: string;
  /** Defaults to the format of `name` (or of the File's name). */
  format?: DatasetFormat;
  name?: string;
  columnMapping?: CsvColumnMapping;
}

export interface ImportedDataset extends ParseResult {
  format: DatasetFormat;
  /** CSV header columns (empty for JSONL). */
  columns: string[];
}

/** Parses a Blob/File (streamed) or any TextSource. */
export async function importDataset(source: Blob | TextSource, options: ImportDatasetOptions = {}): Promise<ImportedDataset> {
  const name = options.name ?? (typeof File !== 'undefined' && source instanceof File ? source.name : '');
  const format = options.format ?? formatOfFileName(name);
  if (!format) {
    throw new DatasetParseError(
      `Cannot tell the format of "${name || 'this file'}".`,
      'Use a .jsonl file (one JSON object per line) or a .csv file with a header row.',
    );
  }
  const text = typeof Blob !== 'undefined' && source instanceof Blob ? blobTextChunks(source) : (source as TextSource);
  if (format === 'csv') {
    const delimiter = options.delimiter ?? (name.toLowerCase().endsWith('.tsv') ? '\t' : undefined);
    return { format, ...(await parseCsv(text, options.columnMapping, { ...options, delimiter })) };
  }
  return { format, columns: [], ...(await parseJsonl(text, options)) };
}

export interface DatasetSummary {
  stats: DatasetStats;
  pii: PiiReport;
  /** See datasetContentHash: order-independent sha-256 of the records. */
  contentHash: string;
}

/** Counts, token lengths (with a tokenizer), duplicates, PII and the content hash, for the dataset view. */
export async function summariseDataset(records: readonly DatasetRecord[], tokenizer?: Tokenizer): Promise<DatasetSummary> {
  return { stats: computeDatasetStats(records, { tokenizer }), pii: scanPii(records), contentHash: await datasetContentHash(records) };
}
