// The dataset view's numbers built one record at a time as rows stream in (no array of all records is ever held).
// Gives exactly what summariseRows (dataset-rows.ts) computes from the whole array; dataset-summary.test.ts checks that.
import { lengthHistogram } from '../engine/data/dataset-stats';
import type { DatasetStats as LayerStats } from '../engine/data/dataset-stats';
import { NearDuplicateIndex } from '../engine/data/near-duplicates';
import { scanPii, type PiiKind, type PiiReport } from '../engine/data/pii-scan';
import type { DatasetRecord as SourceRecord, RecordKind } from '../engine/data/record';
import { canonicalRecord, duplicateKey } from '../engine/data/record-id';
import { recordTexts } from '../engine/data/record-text';
import { sha256Hex } from '../engine/data/sha256';
import { tokenizeRecord } from '../engine/data/tokenize-record';
import { buildCharTokenizerJson } from '../engine/tokenizers/char-tokenizer-json';
import { CharTokenizer } from '../engine/tokenizers/char-tokenizer';
import { SPLIT_FRACTIONS } from './dataset-rows';
import type { DatasetRow, DatasetStats, SplitName } from '../contract';

const PII_KINDS: PiiKind[] = ['email', 'phone', 'creditCard', 'ipAddress'];
const PII_EXAMPLES = 5;
const MAX_DUPLICATE_GROUPS = 100;
const DIGEST_HEX = 64;

/**
 * Lengths with the dataset's char tokenizer do not depend on which characters it knows: every character is one token
 * (unknown ones are <unk>), and the special tokens are the same fixed three. So a tokenizer with no characters counts
 * them as the finished dataset's tokenizer would, before that tokenizer exists.
 */
const countingTokenizer = new CharTokenizer(buildCharTokenizerJson([]));

/** Distinct code points of many strings: a bitmap for the BMP, a set for the rest. */
class CharSet {
  private readonly bmp = new Uint8Array(0x10000);
  private readonly astral = new Set<string>();

  add(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          this.astral.add(text.slice(i, i + 2));
          i++;
          continue;
        }
      }
      this.bmp[code] = 1;
    }
  }

  /** Sorted as Array.prototype.sort sorts strings (by UTF-16 code units). */
  sorted(): string[] {
    const chars: string[] = [];
    for (let code = 0; code < 0x10000; code++) if (this.bmp[code]) chars.push(String.fromCharCode(code));
    return [...chars, ...this.astral].sort();
  }
}

/** Growable array of fixed-width byte strings (sha-256 hex digests), sortable without a string per record. */
class DigestList {
  private bytes = new Uint8Array(DIGEST_HEX * 1024);
  private keys = new Float64Array(1024);
  length = 0;

  push(hex: string): void {
    if (this.length === this.keys.length) {
      const bytes = new Uint8Array(this.bytes.length * 2);
      bytes.set(this.bytes);
      this.bytes = bytes;
      const keys = new Float64Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
    }
    const at = this.length * DIGEST_HEX;
    for (let i = 0; i < DIGEST_HEX; i++) this.bytes[at + i] = hex.charCodeAt(i);
    // The first 12 hex digits (48 bits) as a number: sorts like the string, ties broken byte by byte.
    this.keys[this.length] = parseInt(hex.slice(0, 12), 16);
    this.length++;
  }

  /** The digests sorted, joined by "\n", as ASCII bytes (what datasetContentHash hashes). */
  sortedJoined(): Uint8Array {
    const order = new Uint32Array(this.length).map((_, i) => i);
    const { bytes, keys } = this;
    order.sort((a, b) => {
      if (keys[a] !== keys[b]) return keys[a] - keys[b];
      for (let i = 12; i < DIGEST_HEX; i++) {
        const d = bytes[a * DIGEST_HEX + i] - bytes[b * DIGEST_HEX + i];
        if (d !== 0) return d;
      }
      return 0;
    });
    const out = new Uint8Array(Math.max(0, this.length * (DIGEST_HEX + 1) - 1));
    order.forEach((index, k) => {
      out.set(bytes.subarray(index * DIGEST_HEX, (index + 1) * DIGEST_HEX), k * (DIGEST_HEX + 1));
      if (k > 0) out[k * (DIGEST_HEX + 1) - 1] = 10;
    });
    return out;
  }
}

/** Growable Int32 list (token lengths). */
class IntList {
  private values = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  toArray(): number[] {
    return Array.from(this.values.subarray(0, this.length));
  }
}

export interface BuiltSummary {
  sha256: string;
  stats: DatasetStats;
  /** Distinct characters of every row's prompt + completion, sorted (DatasetRecord.chars). */
  chars: string[];
}

export class DatasetSummaryBuilder {
  private rows = 0;
  private readonly byKind: Record<RecordKind, number> = { 'prompt-completion': 0, messages: 0, text: 0, preference: 0 };
  private readonly byCohort: Record<string, number> = {};
  private readonly splits: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
  /**
   * Duplicate groups by the first 52 bits of duplicateKey (a number key keeps a million-row map small; a false match
   * needs two different records to share 52 bits, about 1 in 10^4 at a million rows): the first line, or all lines.
   */
  private readonly groups = new Map<number, number | number[]>();
  private readonly near = new NearDuplicateIndex();
  private readonly lengths = new IntList();
  private readonly digests = new DigestList();
  private readonly pii: PiiReport = Object.fromEntries(PII_KINDS.map((k) => [k, { count: 0, records: 0, exampleLines: [] }])) as unknown as PiiReport;
  private readonly rowChars = new CharSet();
  private readonly textChars = new CharSet();

  /** One record and the row stored for it (recordToRow), in dataset order. */
  add(record: SourceRecord, row: DatasetRow): void {
    this.rows++;
    this.byKind[record.kind]++;
    const cohort = record.cohort ?? '';
    this.byCohort[cohort] = (this.byCohort[cohort] ?? 0) + 1;
    this.splits[row.split]++;
    const key = parseInt(duplicateKey(record).slice(0, 13), 16);
    const seen = this.groups.get(key);
    this.near.add(record.line, recordTexts(record), seen !== undefined);
    if (seen === undefined) this.groups.set(key, record.line);
    else if (typeof seen === 'number') this.groups.set(key, [seen, record.line]);
    else seen.push(record.line);
    this.lengths.push(tokenizeRecord(record, countingTokenizer, { maxSeqLen: Infinity }).ids.length);
    this.digests.push(sha256Hex(canonicalRecord(record)));
    const found = scanPii([record]);
    for (const kind of PII_KINDS) {
      const hit = found[kind];
      if (hit.records === 0) continue;
      const total = this.pii[kind];
      total.count += hit.count;
      total.records++;
      if (total.exampleLines.length < PII_EXAMPLES) total.exampleLines.push(record.line);
    }
    this.rowChars.add(row.prompt);
    this.rowChars.add(row.completion);
    if (row.rejected !== undefined) this.rowChars.add(row.rejected);
    for (const text of recordTexts(record)) this.textChars.add(text);
  }

  get rowCount(): number {
    return this.rows;
  }

  /** The stored numbers; badLines is the total count of skipped lines. Synchronous (usable in an upgrade transaction). */
  finish(badLines: number): BuiltSummary {
    const duplicates = [...this.groups.values()].filter((lines): lines is number[] => typeof lines !== 'number');
    const summary: LayerStats = {
      total: this.rows,
      byKind: this.byKind,
      byCohort: this.byCohort,
      duplicateCount: duplicates.reduce((sum, lines) => sum + lines.length - 1, 0),
      duplicateGroups: duplicates
        .sort((a, b) => b.length - a.length || a[0] - b[0])
        .slice(0, MAX_DUPLICATE_GROUPS)
        .map((lines) => ({ lines })),
      nearDuplicates: this.near.finish(),
    };
    summary.tokenLengths = lengthHistogram(this.lengths.toArray());
    const tokenizer = new CharTokenizer(buildCharTokenizerJson(this.textChars.sorted()));
    const stats: DatasetStats = {
      rows: this.rows,
      badLines,
      duplicates: summary.duplicateCount,
      summary,
      tokenizer: `char tokenizer of this dataset (${tokenizer.vocabSize} tokens incl. <pad> <eos> <unk>; EOS counted)`,
      pii: this.pii,
      splits: this.splits,
      splitFractions: SPLIT_FRACTIONS,
    };
    return { sha256: sha256Hex(this.digests.sortedJoined()), stats, chars: this.rowChars.sorted() };
  }
}

/** Distinct characters of the rows' prompts and completions, sorted (DatasetRecord.chars for rows already stored). */
export function rowChars(rows: readonly DatasetRow[]): string[] {
  const chars = new CharSet();
  for (const row of rows) {
    chars.add(row.prompt);
    chars.add(row.completion);
  }
  return chars.sorted();
}
