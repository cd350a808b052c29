// Turns one parsed JSONL/CSV record into a dataset row, or says in words why it cannot be one.
// Interim: replaced by the data layer's parser (src/engine/data/) when it lands on main.
import type { DatasetRow } from '../../src/storage/types';

type Json = Record<string, unknown>;

interface Message {
  role: string;
  content: string;
}

function optionalMeta(record: Json): Pick<DatasetRow, 'cohort' | 'tags'> | string {
  const meta: Pick<DatasetRow, 'cohort' | 'tags'> = {};
  if (record.cohort !== undefined) {
    if (typeof record.cohort !== 'string') return '"cohort" must be a string';
    meta.cohort = record.cohort;
  }
  if (record.tags !== undefined) {
    if (!Array.isArray(record.tags) || !record.tags.every((t) => typeof t === 'string')) return '"tags" must be a list of strings';
    meta.tags = record.tags as string[];
  }
  return meta;
}

function fromMessages(messages: unknown): { prompt: string; completion: string } | string {
  if (!Array.isArray(messages) || messages.length === 0) return '"messages" must be a non-empty list';
  for (const [i, m] of messages.entries()) {
    if (typeof m !== 'object' || m === null || typeof (m as Message).role !== 'string' || typeof (m as Message).content !== 'string') {
      return `message ${i + 1} needs a string "role" and "content"`;
    }
  }
  const list = messages as Message[];
  const last = list.at(-1)!;
  if (last.role !== 'assistant') return 'the last message must be from the assistant (it is what the model learns)';
  const prompt = list.slice(0, -1).map((m) => `${m.role}: ${m.content}\n`).join('') + 'assistant: ';
  return { prompt, completion: last.content };
}

/** Accepts {"prompt","completion"}, {"messages":[…]} or {"text"}, plus optional cohort/tags. */
export function recordToRow(record: unknown, line: number): DatasetRow | string {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'expected a JSON object';
  const r = record as Json;
  const meta = optionalMeta(r);
  if (typeof meta === 'string') return meta;
  const id = `L${line}`;
  if ('messages' in r) {
    const pair = fromMessages(r.messages);
    return typeof pair === 'string' ? pair : { id, ...pair, ...meta };
  }
  if ('prompt' in r || 'completion' in r) {
    if (typeof r.prompt !== 'string') return '"prompt" must be a string';
    if (typeof r.completion !== 'string' || r.completion === '') return '"completion" must be a non-empty string';
    return { id, prompt: r.prompt, completion: r.completion, ...meta };
  }
  if ('text' in r) {
    if (typeof r.text !== 'string' || r.text === '') return '"text" must be a non-empty string';
    return { id, prompt: '', completion: r.text, ...meta };
  }
  return 'no "prompt"/"completion", "messages" or "text" field';
}

/** Parses one JSONL line; the reason names what is wrong with it. */
export function jsonlLineToRow(text: string, line: number): DatasetRow | string | null {
  if (text.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return `not valid JSON (${(e as Error).message})`;
  }
  return recordToRow(parsed, line);
}
