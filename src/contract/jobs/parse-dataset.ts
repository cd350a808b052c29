// Dataset import job: the file and its CSV or Parquet mapping, the preview shown before import, and parse/save progress.
import type { RowFormat } from '../../engine/data/chat-formats';
import type { ParquetColumn, TableMapping } from '../../engine/data/parquet';
import type { BadLine, DatasetRecord as SourceRecord } from '../../engine/data/record';

export type { RowFormat, ParquetColumn, TableMapping };

/** Which CSV column holds what; no prompt column means plain-text rows. */
export interface CsvMapping {
  prompt: string | null;
  completion: string;
  cohort: string | null;
}

export interface ParseDatasetInput {
  file: Blob;
  name: string;
  format: 'jsonl' | 'csv' | 'parquet';
  csvMapping?: CsvMapping;
  /** Parquet: how rows become records (the detected format, or chosen columns). */
  tableMapping?: TableMapping;
  splitSeed: number;
}

export interface ParseProgress {
  bytesRead: number;
  totalBytes: number;
  /** Source lines read so far (blank and bad ones included). */
  lines: number;
  /** Rows committed to browser storage so far (they are saved in chunks while the file is still being read). */
  rowsSaved: number;
  /** Hub datasets: 'download' while file `part.index` of `part.count` downloads (bytes are that file's), then 'read'. */
  phase?: 'download' | 'read';
  part?: { index: number; count: number };
}

/** What a file (or a Hub split) holds, shown before it is imported: its format as detected and its first rows as TuneLab reads them. */
export interface DatasetPreview {
  /** The format the columns (Parquet) or the first line (JSONL) have; null when none is recognised. */
  detected: RowFormat | null;
  /** The first rows as records under the detected format (empty when none is detected). */
  records: SourceRecord[];
  /** Bad rows among those previewed, named as at import. */
  badLines: BadLine[];
  /** Parquet only: its top-level columns, row count, and first rows cell by cell (lists and structs as JSON). */
  table?: { columns: ParquetColumn[]; rows: number; rowGroups: number; head: Record<string, string>[] };
}
