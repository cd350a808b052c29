// Near-duplicate rows: MinHash over word-bigram shingles with LSH banding, candidates verified by exact Jaccard, grouped by union-find.

import type { DatasetRecord } from './record';
import { duplicateKey, normaliseText } from './record-id';
import { recordTexts } from './record-text';

/** Default Jaccard similarity (of word-bigram shingle sets) at or above which two rows are near-duplicates. */
export const NEAR_DUPLICATE_THRESHOLD = 0.8;
/** Rows scanned at most (the first ones, in file order); shingle sets of all of them are held in memory. */
export const NEAR_DUPLICATE_MAX_ROWS = 100_000;
/** LSH: BANDS bands of ROWS_PER_BAND MinHash values (125 hash functions). At Jaccard 0.8 a pair becomes a candidate with probability 1 − (1 − 0.8⁵)²⁵ ≈ 0.99995. */
const BANDS = 25;
const ROWS_PER_BAND = 5;
const HASHES = BANDS * ROWS_PER_BAND;
const EXAMPLE_PAIRS = 20;
const MAX_GROUPS = 100;
/** An LSH bucket of at most this many rows has every pair verified; a larger one, each row against its next NEIGHBOURS. */
const SMALL_BUCKET = 32;
const NEIGHBOURS = 8;

/** The EXAMPLE_PAIRS most similar pairs (ties in file order). */
function bestPairs(pairs: NearDuplicatePair[]): NearDuplicatePair[] {
  return pairs.sort((x, y) => y.similarity - x.similarity || x.a - y.a || x.b - y.b).slice(0, EXAMPLE_PAIRS);
}

export interface NearDuplicatePair {
  /** Source lines, a < b. */
  a: number;
  b: number;
  /** Exact Jaccard similarity of the two rows' shingle sets. */
  similarity: number;
}

export interface NearDuplicateReport {
  threshold: number;
  /** Rows beyond the first in each near-duplicate group (exact copies are not counted: they are duplicates). */
  count: number;
  /** Up to 100 groups (source lines of the first row of each distinct content, file order), largest first. */
  groups: { lines: number[] }[];
  /** Up to 20 verified pairs, most similar first. */
  pairs: NearDuplicatePair[];
  /** Rows scanned (the first NEAR_DUPLICATE_MAX_ROWS); less than the dataset's rows when it is larger. */
  scannedRows: number;
}

/** Murmur3's 32-bit finaliser: a bijective mix of 32 bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, then mixed. */
function hashString(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/**
 * Shingles of a row: per text field, the lower-cased whitespace-separated words' bigrams (the word itself for a
 * one-word field), hashed to 32 bits with the field's index; sorted, distinct.
 */
export function shingleSet(texts: readonly string[]): Uint32Array {
  const set = new Set<number>();
  texts.forEach((text, field) => {
    const normal = normaliseText(text).toLowerCase();
    if (!normal) return;
    const words = normal.split(' ');
    if (words.length === 1) set.add(hashString(words[0], field));
    for (let i = 0; i + 1 < words.length; i++) set.add(hashString(`${words[i]} ${words[i + 1]}`, field));
  });
  return Uint32Array.from(set).sort();
}

/** Exact Jaccard |A∩B| / |A∪B| of two sorted distinct arrays. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

/** Seeds of the hash functions: fixed, so the same rows always give the same groups. */
const SEEDS = Uint32Array.from({ length: HASHES }, (_, i) => fmix32(0x9e3779b9 + Math.imul(i + 1, 0x7f4a7c15)));

/**
 * Streaming near-duplicate finder: add rows in file order, then finish(). Exact copies of an earlier row are passed
 * with exactCopy = true and left out (the exact-duplicate count already has them), so a pair is never two copies.
 */
export class NearDuplicateIndex {
  private readonly lines: number[] = [];
  private readonly shingles: Uint32Array[] = [];
  private bandHashes = new Uint32Array(1024 * BANDS);
  private seen = 0;
  private readonly minHash = new Uint32Array(HASHES);
  private parent: Int32Array | null = null;

  constructor(private readonly threshold = NEAR_DUPLICATE_THRESHOLD) {}

  add(line: number, texts: readonly string[], exactCopy: boolean): void {
    this.seen++;
    if (exactCopy || this.lines.length >= NEAR_DUPLICATE_MAX_ROWS) return;
    const set = shingleSet(texts);
    if (set.length === 0) return;
    const mins = this.minHash.fill(0xffffffff);
    for (let s = 0; s < set.length; s++) {
      const x = set[s];
      for (let k = 0; k < HASHES; k++) {
        const h = fmix32(x ^ SEEDS[k]);
        if (h < mins[k]) mins[k] = h;
      }
    }
    const row = this.lines.length;
    if ((row + 1) * BANDS > this.bandHashes.length) {
      const grown = new Uint32Array(this.bandHashes.length * 2);
      grown.set(this.bandHashes);
      this.bandHashes = grown;
    }
    for (let band = 0; band < BANDS; band++) {
      let h = band;
      for (let r = 0; r < ROWS_PER_BAND; r++) h = fmix32(h ^ mins[band * ROWS_PER_BAND + r]) + r;
      this.bandHashes[row * BANDS + band] = h >>> 0;
    }
    this.lines.push(line);
    this.shingles.push(set);
  }

  finish(): NearDuplicateReport {
    const n = this.lines.length;
    const parent = (this.parent = Int32Array.from({ length: n }, (_, i) => i));
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]];
      return i;
    };
    // The most similar verified pairs, trimmed as they come so a file of many similar rows cannot grow it without bound.
    let pairs: NearDuplicatePair[] = [];
    const keepPair = (pair: NearDuplicatePair) => {
      pairs.push(pair);
      if (pairs.length > 10 * EXAMPLE_PAIRS) pairs = bestPairs(pairs);
    };
    const verify = (i: number, j: number) => {
      if (find(i) === find(j)) return;
      const similarity = jaccard(this.shingles[i], this.shingles[j]);
      if (similarity < this.threshold - 1e-12) return;
      keepPair({ a: this.lines[Math.min(i, j)], b: this.lines[Math.max(i, j)], similarity });
      parent[find(j)] = find(i);
    };
    // Per band: sort (hash, row) keys (hash · 2^21 + row, exact in a float64 for < 2^21 rows) and compare rows of equal hash:
    // every pair in a small bucket; in a large one (many similar rows, e.g. one template), each row against the next
    // NEIGHBOURS rows in file order, so the work stays linear in rows and groups form through chains of verified pairs.
    const keys = new Float64Array(n);
    const rowOf = (p: number) => keys[p] % 2 ** 21;
    for (let band = 0; band < BANDS; band++) {
      for (let i = 0; i < n; i++) keys[i] = this.bandHashes[i * BANDS + band] * 2 ** 21 + i;
      keys.sort();
      for (let start = 0; start < n; ) {
        const hash = Math.floor(keys[start] / 2 ** 21);
        let end = start + 1;
        while (end < n && Math.floor(keys[end] / 2 ** 21) === hash) end++;
        const reach = end - start <= SMALL_BUCKET ? end - start : NEIGHBOURS;
        for (let p = start; p < end; p++) {
          for (let q = p + 1; q < Math.min(end, p + 1 + reach); q++) verify(rowOf(p), rowOf(q));
        }
        start = end;
      }
    }
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const root = find(i);
      const group = groups.get(root);
      if (group) group.push(this.lines[i]);
      else groups.set(root, [this.lines[i]]);
    }
    const multi = [...groups.values()].filter((g) => g.length > 1);
    return {
      threshold: this.threshold,
      count: multi.reduce((sum, g) => sum + g.length - 1, 0),
      groups: multi
        .sort((a, b) => b.length - a.length || a[0] - b[0])
        .slice(0, MAX_GROUPS)
        .map((lines) => ({ lines })),
      pairs: bestPairs(pairs),
      scannedRows: Math.min(this.seen, NEAR_DUPLICATE_MAX_ROWS),
    };
  }

  /** After finish(): the lines of every row beyond the first (in add order) of its near-duplicate group. */
  laterLines(): Set<number> {
    const parent = this.parent;
    if (!parent) throw new Error('NearDuplicateIndex.laterLines() needs finish() first.');
    const root = (i: number): number => {
      while (parent[i] !== i) i = parent[i];
      return i;
    };
    const firsts = new Set<number>();
    const later = new Set<number>();
    for (let i = 0; i < parent.length; i++) {
      const r = root(i);
      if (firsts.has(r)) later.add(this.lines[i]);
      else firsts.add(r);
    }
    return later;
  }
}

/** Near-duplicate report of whole records (exact copies, by duplicateKey, are left out after their first). */
export function findNearDuplicates(records: readonly DatasetRecord[], threshold = NEAR_DUPLICATE_THRESHOLD): NearDuplicateReport {
  const index = new NearDuplicateIndex(threshold);
  const exact = new Set<string>();
  for (const record of records) {
    const key = duplicateKey(record);
    index.add(record.line, recordTexts(record), exact.has(key));
    exact.add(key);
  }
  return index.finish();
}
