// Stable record identity: canonical JSON of what is trained on, hashed; and a normalised form for duplicate detection.

import type { ChatMessage, DatasetRecord } from './record';
import { sha256Hex } from './sha256';

/**
 * Canonical JSON of the trained content, independent of line number, cohort, tags and key order in the file:
 * ["pc", prompt, completion] | ["m", [[role, content, weight|null], …]] | ["t", text] | ["pref", prompt, chosen, rejected].
 */
export function canonicalContent(record: DatasetRecord): string {
  switch (record.kind) {
    case 'prompt-completion':
      return JSON.stringify(['pc', record.prompt, record.completion]);
    case 'messages':
      return JSON.stringify(['m', record.messages.map((m) => [m.role, m.content, m.weight ?? null])]);
    case 'text':
      return JSON.stringify(['t', record.text]);
    case 'preference':
      return JSON.stringify(['pref', ...[record.prompt, record.chosen, record.rejected].map(canonicalTurns)]);
  }
}

/** A preference field as canonical JSON material: its text, or its turns as [role, content, weight|null]. */
function canonicalTurns(v: string | ChatMessage[]): unknown {
  return typeof v === 'string' ? v : v.map((m) => [m.role, m.content, m.weight ?? null]);
}

/** Canonical JSON of the whole record (content + cohort + sorted tags); what the dataset hash covers. */
export function canonicalRecord(record: DatasetRecord): string {
  return JSON.stringify([canonicalContent(record), record.cohort ?? null, [...(record.tags ?? [])].sort()]);
}

/** Record id: first 16 hex digits (64 bits) of sha-256 of the canonical content. Same content → same id. */
export function recordId(record: DatasetRecord): string {
  return sha256Hex(canonicalContent(record)).slice(0, 16);
}

/** Text normalised for duplicate detection: Unicode NFC, whitespace runs collapsed to one space, trimmed. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Hash of the normalised content: two records with the same key are duplicates. */
export function duplicateKey(record: DatasetRecord): string {
  switch (record.kind) {
    case 'prompt-completion':
      return sha256Hex(JSON.stringify(['pc', normaliseText(record.prompt), normaliseText(record.completion)]));
    case 'messages':
      return sha256Hex(JSON.stringify(['m', record.messages.map((m) => [m.role, normaliseText(m.content)])]));
    case 'text':
      return sha256Hex(JSON.stringify(['t', normaliseText(record.text)]));
    case 'preference': {
      const norm = (v: string | ChatMessage[]) => (typeof v === 'string' ? normaliseText(v) : v.map((m) => [m.role, normaliseText(m.content)]));
      return sha256Hex(JSON.stringify(['pref', norm(record.prompt), norm(record.chosen), norm(record.rejected)]));
    }
  }
}
