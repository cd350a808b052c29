// Streaming JSONL parser: lines are cut from chunks as they arrive, so a 100 MB file never exists as one array of lines.

import { DatasetParseError } from '../errors';
import { checkRecord, type BadLine, type DatasetRecord } from './record';
import { textChunks, type TextSource } from './text-source';

export type { TextSource } from './text-source';

export interface ParseOptions {
  /** Called every ~`progressEveryLines` lines with lines and characters consumed so far. */
  onProgress?: (progress: { lines: number; chars: number }) => void;
  progressEveryLines?: number;
  /** Stop listing bad lines after this many (they are still counted in badLineCount). Default 1000. */
  maxBadLines?: number;
  signal?: AbortSignal;
  /**
   * When set, each valid record is handed here as soon as it is parsed instead of being kept in `records` (which then
   * stays empty), so a caller can store a large file as it streams; a returned promise is awaited before parsing on.
   */
  onRecord?: (record: DatasetRecord) => void | Promise<void>;
}

export interface ParseResult {
  records: DatasetRecord[];
  /** The first `maxBadLines` bad lines, in file order. */
  badLines: BadLine[];
  badLineCount: number;
  /** Physical lines seen (blank ones included). */
  lineCount: number;
}

/** One physical line and its 1-based number. */
export interface NumberedLine {
  line: number;
  text: string;
}

/** Splits a stream of text chunks into lines (\n, \r\n); strips a leading BOM. Holds at most one partial line. */
export async function* splitLines(source: TextSource): AsyncGenerator<NumberedLine> {
  let carry = '';
  let line = 0;
  let first = true;
  for await (let chunk of textChunks(source)) {
    if (first && chunk.length > 0) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    let start = 0;
    let text = carry + chunk;
    if (carry.length > 0) carry = '';
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      yield { line: ++line, text: text.slice(start, stop) };
      start = end + 1;
    }
    carry = text.slice(start);
    text = '';
  }
  if (carry.length > 0) {
    yield { line: ++line, text: carry.endsWith('\r') ? carry.slice(0, -1) : carry };
  }
}

const JSON_ARRAY_HINT =
  'this looks like a JSON array; TuneLab reads JSON Lines (one object per line). Convert it, e.g. with jq -c ".[]" data.json > data.jsonl';

/** Parses one JSONL line into a record or a bad-line reason. Blank lines give null (skipped silently). */
export function parseJsonlLine(text: string, line: number): { record: DatasetRecord } | { bad: BadLine } | null {
  if (text.trim().length === 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (line === 1 && text.trimStart().startsWith('[')) return { bad: { line, reason: `line 1: ${JSON_ARRAY_HINT}` } };
    return { bad: { line, reason: `line ${line}: not valid JSON (${detail})` } };
  }
  if (line === 1 && Array.isArray(value)) return { bad: { line, reason: `line 1: ${JSON_ARRAY_HINT}` } };
  const check = checkRecord(value, line);
  return check.ok ? { record: check.record } : { bad: { line, reason: `line ${line}: ${check.reason}` } };
}

/** One parsed line: a record or a bad line. */
export type JsonlItem = { record: DatasetRecord } | { bad: BadLine };

/** Streams parsed lines one by one (blank lines skipped), for callers that store records as they come. */
export async function* iterateJsonl(source: TextSource): AsyncGenerator<JsonlItem> {
  for await (const { line, text } of splitLines(source)) {
    const parsed = parseJsonlLine(text, line);
    if (parsed) yield parsed;
  }
}

/** Parses a whole JSONL source, keeping valid lines and listing bad ones. */
export async function parseJsonl(source: TextSource, options: ParseOptions = {}): Promise<ParseResult> {
  const maxBad = options.maxBadLines ?? 1000;
  const every = options.progressEveryLines ?? 10_000;
  const result: ParseResult = { records: [], badLines: [], badLineCount: 0, lineCount: 0 };
  let chars = 0;
  for await (const { line, text } of splitLines(source)) {
    result.lineCount = line;
    chars += text.length + 1;
    const parsed = parseJsonlLine(text, line);
    if (parsed && 'record' in parsed) {
      if (!options.onRecord) result.records.push(parsed.record);
      else await options.onRecord(parsed.record);
    } else if (parsed) {
      result.badLineCount++;
      if (result.badLines.length < maxBad) result.badLines.push(parsed.bad);
    }
    if (line % every === 0) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ lines: line, chars });
    }
  }
  options.onProgress?.({ lines: result.lineCount, chars });
  return result;
}

/**
 * A JSON file holding one array of objects (as Alpaca's alpaca_data.json is): each element is read as a JSONL line
 * would be, numbered from 1 as "item N". The whole text is parsed at once, so this is for files that fit in memory.
 */
export async function parseJsonArray(text: string, options: ParseOptions = {}): Promise<ParseResult> {
  return parseJsonItems(jsonArrayItems(text), options);
}

/** The elements of a JSON array file, or a DatasetParseError saying why it is not one. */
export function jsonArrayItems(text: string): unknown[] {
  let items: unknown;
  try {
    items = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new DatasetParseError(
      `The JSON file does not parse: ${error instanceof Error ? error.message : String(error)}.`,
      'Check that it is one JSON array of objects, or save it as JSON Lines (one object per line).',
    );
  }
  if (!Array.isArray(items)) throw new DatasetParseError('The JSON file is not an array of rows.', 'Use one JSON array of objects, or JSON Lines (one object per line).');
  return items;
}

/** Reads the elements of a JSON array as records, each as a JSONL line would be, numbered "item N" from 1. */
export async function parseJsonItems(items: readonly unknown[], options: ParseOptions = {}): Promise<ParseResult> {
  const maxBad = options.maxBadLines ?? 1000;
  const result: ParseResult = { records: [], badLines: [], badLineCount: 0, lineCount: items.length };
  for (let i = 0; i < items.length; i++) {
    const check = checkRecord(items[i], i + 1);
    if (check.ok) {
      if (!options.onRecord) result.records.push(check.record);
      else await options.onRecord(check.record);
    } else {
      result.badLineCount++;
      if (result.badLines.length < maxBad) result.badLines.push({ line: i + 1, reason: `item ${i + 1}: ${check.reason}` });
    }
    if ((i + 1) % (options.progressEveryLines ?? 10_000) === 0) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ lines: i + 1, chars: 0 });
    }
  }
  options.onProgress?.({ lines: items.length, chars: 0 });
  return result;
}
