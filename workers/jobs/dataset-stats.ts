// Dataset view numbers: length histogram, duplicates, personal-data scan, split sizes, content hash.
import type { DatasetRow, DatasetStats } from '../../src/storage/types';
import { splitOf } from './splits';

const PII_PATTERNS: { kind: string; pattern: RegExp }[] = [
  { kind: 'e-mail address', pattern: /[\w.+-]+@[\w-]+\.[\w.-]+/ },
  { kind: 'phone number', pattern: /(?:\+\d{1,3}[ -]?)?(?:\(\d{2,4}\)[ -]?)?\d{3,4}[ -]\d{3,4}(?:[ -]\d{2,4})?/ },
  { kind: 'payment card number', pattern: /\b(?:\d[ -]?){13,16}\b/ },
  { kind: 'IP address', pattern: /\b(?:\d{1,3}\.){3}\d{1,3}\b/ },
];

function histogram(lengths: number[], bins = 12): DatasetStats['lengthHistogram'] {
  if (lengths.length === 0) return [];
  const min = Math.min(...lengths);
  const max = Math.max(...lengths);
  const width = Math.max(1, Math.ceil((max - min + 1) / bins));
  const out = Array.from({ length: Math.ceil((max - min + 1) / width) }, (_, i) => ({ from: min + i * width, to: min + (i + 1) * width, count: 0 }));
  for (const n of lengths) out[Math.floor((n - min) / width)].count++;
  return out;
}

export function datasetStats(rows: DatasetRow[], badLines: number, splitSeed: number): DatasetStats {
  const lengths = rows.map((r) => r.prompt.length + r.completion.length);
  const seen = new Set<string>();
  let duplicates = 0;
  const splits = { train: 0, validation: 0, test: 0 };
  const pii = PII_PATTERNS.map(({ kind }) => ({ kind, rows: 0, firstRowIds: [] as string[] }));
  for (const row of rows) {
    const key = `${row.prompt}\u0000${row.completion}`;
    if (seen.has(key)) duplicates++;
    seen.add(key);
    splits[splitOf(row, splitSeed)]++;
    const text = `${row.prompt} ${row.completion}`;
    PII_PATTERNS.forEach(({ pattern }, i) => {
      if (pattern.test(text)) {
        pii[i].rows++;
        if (pii[i].firstRowIds.length < 5) pii[i].firstRowIds.push(row.id);
      }
    });
  }
  return {
    rows: rows.length,
    badLines,
    duplicates,
    lengthHistogram: histogram(lengths),
    minLength: lengths.length ? Math.min(...lengths) : 0,
    maxLength: lengths.length ? Math.max(...lengths) : 0,
    meanLength: lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : 0,
    pii: pii.filter((p) => p.rows > 0),
    splits,
  };
}

/** sha-256 of the rows' content (ids excluded, order kept), hex. */
export async function contentHash(rows: DatasetRow[]): Promise<string> {
  const text = rows.map((r) => JSON.stringify([r.prompt, r.completion, r.cohort ?? null, r.tags ?? null])).join('\n');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
