// Writes records back as JSONL in the shapes they were read in (for export, e.g. to a TRL training run).

import type { DatasetRecord } from './record';

/** One JSON line (no newline): {prompt, completion} | {messages} | {text} | {prompt, chosen, rejected}, plus cohort/tags when present. */
export function recordToJson(record: DatasetRecord): string {
  const out: Record<string, unknown> = {};
  if (record.kind === 'prompt-completion') {
    out.prompt = record.prompt;
    out.completion = record.completion;
  } else if (record.kind === 'messages') {
    out.messages = record.messages;
  } else if (record.kind === 'preference') {
    out.prompt = record.prompt;
    out.chosen = record.chosen;
    out.rejected = record.rejected;
  } else {
    out.text = record.text;
  }
  if (record.cohort !== undefined) out.cohort = record.cohort;
  if (record.tags !== undefined) out.tags = record.tags;
  return JSON.stringify(out);
}

/** The records as JSONL text, one per line, ending with a newline. */
export function recordsToJsonl(records: readonly DatasetRecord[]): string {
  return records.map((r) => recordToJson(r) + '\n').join('');
}
