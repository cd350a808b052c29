// Streaming CSV import with a column mapping: rows are cut from chunks (quote-aware), parsed in batches by papaparse.

import Papa from 'papaparse';
import { DatasetParseError } from '../errors';
import type { ParseOptions, ParseResult } from './jsonl';
import { checkRecord, type DatasetRecord } from './record';
import { textChunks, type TextSource } from './text-source';

/**
 * Which CSV column holds each field; unset fields default to a column of the same name, when there is one, and null
 * maps none (a "prompt" column read as plain text must not also become the prompt).
 */
export interface CsvColumnMapping {
  prompt?: string | null;
  completion?: string | null;
  text?: string | null;
  /** A column holding OpenAI-style messages as JSON text. */
  messages?: string | null;
  cohort?: string | null;
  /** Comma- or semicolon-separated tags. */
  tags?: string | null;
}

export interface CsvParseResult extends ParseResult {
  /** Column names from the header row. */
  columns: string[];
}

const FIELDS = ['prompt', 'completion', 'text', 'messages', 'cohort', 'tags'] as const;
const BATCH_ROWS = 2000;

interface CsvRow {
  line: number;
  text: string;
}

/** Cuts rows at newlines outside double quotes; each row keeps the 1-based line where it starts. */
export async function* splitCsvRows(source: TextSource): AsyncGenerator<CsvRow> {
  let carry = '';
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  let first = true;
  for await (let chunk of textChunks(source)) {
    if (first && chunk.length) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 34) inQuotes = !inQuotes;
      else if (c === 10) {
        line++;
        if (inQuotes) continue;
        let text = carry + chunk.slice(start, i);
        carry = '';
        if (text.endsWith('\r')) text = text.slice(0, -1);
        yield { line: rowLine, text };
        start = i + 1;
        rowLine = line;
      }
    }
    carry += chunk.slice(start);
  }
  if (carry.length) yield { line: rowLine, text: carry.endsWith('\r') ? carry.slice(0, -1) : carry };
}

function parseRows(rows: readonly CsvRow[], delimiter: string): string[][] {
  const parsed = Papa.parse<string[]>(rows.map((r) => r.text).join('\n'), { delimiter, newline: '\n', header: false, skipEmptyLines: false });
  if (parsed.data.length === rows.length) return parsed.data;
  // A row papaparse read differently (e.g. a stray quote): parse one by one so line numbers stay right.
  return rows.map((r) => Papa.parse<string[]>(r.text, { delimiter, newline: '\n', header: false }).data[0] ?? []);
}

/** Column names of a CSV header line (the first row of the file); the delimiter is detected. */
export function csvColumns(headerLine: string): string[] {
  return (Papa.parse<string[]>(headerLine.replace(/^\ufeff/, ''), { header: false, preview: 1 }).data[0] ?? []).map((c) => c.trim());
}

/**
 * Parses CSV rows into records. The first non-empty row is the header. A cell that is empty counts as absent,
 * so one file may mix prompt/completion rows and text rows. Bad rows are listed as "line N: reason".
 */
export async function parseCsv(source: TextSource, columnMapping: CsvColumnMapping = {}, options: ParseOptions & { delimiter?: string } = {}): Promise<CsvParseResult> {
  const maxBad = options.maxBadLines ?? 1000;
  const result: CsvParseResult = { records: [], badLines: [], badLineCount: 0, lineCount: 0, columns: [] };
  let columnIndex: Partial<Record<(typeof FIELDS)[number], number>> | null = null;
  let delimiter = options.delimiter ?? ',';
  let batch: CsvRow[] = [];
  let chars = 0;

  const bad = (line: number, reason: string) => {
    result.badLineCount++;
    if (result.badLines.length < maxBad) result.badLines.push({ line, reason: `line ${line}: ${reason}` });
  };
  const flush = async () => {
    if (!columnIndex || batch.length === 0) return;
    const cells = parseRows(batch, delimiter);
    for (let r = 0; r < batch.length; r++) {
      const record = rowToRecord(cells[r], batch[r].line, columnIndex, result.columns.length, bad);
      if (!record) continue;
      if (!options.onRecord) result.records.push(record);
      else await options.onRecord(record);
    }
    batch = [];
    options.signal?.throwIfAborted();
    options.onProgress?.({ lines: result.lineCount, chars });
  };

  for await (const row of splitCsvRows(source)) {
    chars += row.text.length + 1;
    result.lineCount = row.line;
    if (row.text.trim().length === 0) continue;
    if (!columnIndex) {
      if (!options.delimiter) delimiter = Papa.parse(row.text, { preview: 1 }).meta.delimiter || ',';
      result.columns = (Papa.parse<string[]>(row.text, { delimiter, header: false }).data[0] ?? []).map((c) => c.trim());
      columnIndex = mapColumns(result.columns, columnMapping);
      continue;
    }
    batch.push(row);
    if (batch.length >= BATCH_ROWS) await flush();
  }
  await flush();
  if (!columnIndex) throw new DatasetParseError('The CSV file is empty.', 'Choose a file with a header row and at least one data row.');
  return result;
}

function mapColumns(columns: string[], mapping: CsvColumnMapping): Partial<Record<(typeof FIELDS)[number], number>> {
  const index: Partial<Record<(typeof FIELDS)[number], number>> = {};
  for (const field of FIELDS) {
    if (mapping[field] === null) continue;
    const name = mapping[field] ?? field;
    const at = columns.findIndex((c) => c === name) >= 0 ? columns.findIndex((c) => c === name) : columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
    if (at >= 0) index[field] = at;
    else if (mapping[field] !== undefined) {
      throw new DatasetParseError(
        `The CSV has no column "${mapping[field]}" (mapped to ${field}). Its columns are: ${columns.join(', ')}.`,
        'Pick one of the listed columns in the column mapping.',
      );
    }
  }
  const has = (f: (typeof FIELDS)[number]) => index[f] !== undefined;
  if (!has('text') && !has('messages') && !(has('prompt') && has('completion'))) {
    throw new DatasetParseError(
      `No column holds training text: map prompt + completion, text, or messages. The columns are: ${columns.join(', ')}.`,
      'Choose the columns in the column mapping.',
    );
  }
  return index;
}

function rowToRecord(
  cells: string[],
  line: number,
  index: Partial<Record<(typeof FIELDS)[number], number>>,
  columnCount: number,
  bad: (line: number, reason: string) => void,
): DatasetRecord | null {
  if (cells.length !== columnCount) {
    bad(line, `has ${cells.length} cells but the header has ${columnCount} columns (check quotes and delimiters)`);
    return null;
  }
  const value: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const at = index[field];
    if (at === undefined || cells[at] === '') continue;
    value[field] = cells[at];
  }
  if (typeof value.messages === 'string') {
    try {
      value.messages = JSON.parse(value.messages);
    } catch (error) {
      bad(line, `the messages cell is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      return null;
    }
  }
  // A mapped prompt column left empty is an empty prompt, not a missing one.
  if (value.completion !== undefined && value.prompt === undefined && index.prompt !== undefined) value.prompt = '';
  const check = checkRecord(value, line);
  if (!check.ok) {
    bad(line, check.reason);
    return null;
  }
  return check.record;
}
