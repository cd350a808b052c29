// Dataset import job: the file and its CSV mapping, and parse/save progress.

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
  /** Rows committed to browser storage so far (they are saved in chunks while the file is still being read). */
  rowsSaved: number;
}
