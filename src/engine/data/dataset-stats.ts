// Dataset summary for the dataset view: counts by shape and cohort, token-length histogram, exact and near duplicates.

import type { Tokenizer } from '../tokenizers/tokenizer';
import type { DatasetRecord, RecordKind } from './record';
import { NearDuplicateIndex, type NearDuplicateReport } from './near-duplicates';
import { duplicateKey } from './record-id';
import { recordTexts } from './record-text';
import { tokenizeRecord, type TokenizeOptions } from './tokenize-record';

export interface LengthHistogram {
  /** Bin i counts lengths in [edges[i], edges[i+1]); the last bin also includes edges[bins]. */
  edges: number[];
  counts: number[];
  min: number;
  max: number;
  mean: number;
  /** Nearest-rank percentiles. */
  median: number;
  p95: number;
  /**
   * Each distinct length with how many rows have it, ascending: exact counts of rows above any model's context
   * (long-rows.ts). Small: n distinct lengths need n(n+1)/2 tokens in all. Absent in datasets imported before it.
   */
  lengthCounts?: [length: number, rows: number][];
}

export interface DuplicateGroup {
  /** Source lines of records with the same normalised content, in file order. */
  lines: number[];
}

export interface DatasetStats {
  total: number;
  byKind: Record<RecordKind, number>;
  /** Records per cohort; records without a cohort count under "". */
  byCohort: Record<string, number>;
  /** Token lengths (before truncation), when a tokenizer was given. */
  tokenLengths?: LengthHistogram;
  /** Records beyond the first in each duplicate group. */
  duplicateCount: number;
  /** Up to `maxDuplicateGroups` groups, largest first. */
  duplicateGroups: DuplicateGroup[];
  /** Rows whose text nearly repeats another's (Jaccard of word bigrams ≥ 0.8), exact copies left out. Absent in datasets imported before it. */
  nearDuplicates?: NearDuplicateReport;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Equal-width histogram over [min, max] with `bins` bins (one bin when all values are equal). */
export function lengthHistogram(lengths: readonly number[], bins = 20): LengthHistogram | undefined {
  if (lengths.length === 0) return undefined;
  const sorted = [...lengths].sort((a, b) => a - b);
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const binCount = max === min ? 1 : bins;
  const width = (max - min) / binCount || 1;
  const edges = Array.from({ length: binCount + 1 }, (_, i) => (i === binCount ? max : min + i * width));
  const counts = new Array<number>(binCount).fill(0);
  for (const length of sorted) counts[Math.min(binCount - 1, Math.floor((length - min) / width))]++;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const lengthCounts: [number, number][] = [];
  for (const length of sorted) {
    const last = lengthCounts[lengthCounts.length - 1];
    if (last && last[0] === length) last[1]++;
    else lengthCounts.push([length, 1]);
  }
  return { edges, counts, min, max, mean, median: percentile(sorted, 50), p95: percentile(sorted, 95), lengthCounts };
}

export interface DatasetStatsOptions {
  tokenizer?: Tokenizer;
  tokenizeOptions?: Omit<TokenizeOptions, 'maxSeqLen'>;
  bins?: number;
  maxDuplicateGroups?: number;
}

export function computeDatasetStats(records: readonly DatasetRecord[], options: DatasetStatsOptions = {}): DatasetStats {
  const byKind: Record<RecordKind, number> = { 'prompt-completion': 0, messages: 0, text: 0, preference: 0 };
  const byCohort: Record<string, number> = {};
  const groups = new Map<string, number[]>();
  const lengths: number[] = [];
  const near = new NearDuplicateIndex();
  for (const record of records) {
    byKind[record.kind]++;
    const cohort = record.cohort ?? '';
    byCohort[cohort] = (byCohort[cohort] ?? 0) + 1;
    const key = duplicateKey(record);
    const lines = groups.get(key);
    near.add(record.line, recordTexts(record), lines !== undefined);
    if (lines) lines.push(record.line);
    else groups.set(key, [record.line]);
    if (options.tokenizer) {
      lengths.push(tokenizeRecord(record, options.tokenizer, { ...options.tokenizeOptions, maxSeqLen: Infinity }).ids.length);
    }
  }
  const duplicates = [...groups.values()].filter((lines) => lines.length > 1);
  const stats: DatasetStats = {
    total: records.length,
    byKind,
    byCohort,
    duplicateCount: duplicates.reduce((sum, lines) => sum + lines.length - 1, 0),
    duplicateGroups: duplicates
      .sort((a, b) => b.length - a.length || a[0] - b[0])
      .slice(0, options.maxDuplicateGroups ?? 100)
      .map((lines) => ({ lines })),
    nearDuplicates: near.finish(),
  };
  if (options.tokenizer) stats.tokenLengths = lengthHistogram(lengths, options.bins);
  return stats;
}
