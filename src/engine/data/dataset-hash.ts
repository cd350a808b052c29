// Content hash of a whole dataset (sha-256 via WebCrypto), independent of record order.

import type { DatasetRecord } from './record';
import { canonicalRecord } from './record-id';
import { sha256Hex } from './sha256';

/**
 * sha-256 (hex) of the dataset as a multiset of records: each record's canonical JSON (content, cohort, sorted
 * tags — not its line number) is hashed, the hex digests are sorted, joined with "\n" and hashed with
 * `crypto.subtle.digest`. Reordering lines keeps the hash; adding, removing or duplicating a record changes it.
 */
export async function datasetContentHash(records: readonly DatasetRecord[]): Promise<string> {
  const digests = records.map((r) => sha256Hex(canonicalRecord(r))).sort();
  const bytes = new TextEncoder().encode(digests.join('\n'));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
