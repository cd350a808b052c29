// The record shapes a dataset line may have (prompt/completion, messages, text, and TRL's preference pairs), validated from parsed JSON or a mapped CSV row (ShareGPT and Alpaca rows become messages).
import { alpacaMessages, shareGptMessages } from './chat-formats';

export interface ChatMessage {
  role: string;
  content: string;
  /** OpenAI fine-tuning weight: 0 or 1 (any value in [0, 1] is kept); honoured on trained roles only. */
  weight?: number;
}

interface RecordCommon {
  /** 1-based line (JSONL) or row start line (CSV) in the source file. */
  line: number;
  cohort?: string;
  tags?: string[];
}

export interface PromptCompletionRecord extends RecordCommon {
  kind: 'prompt-completion';
  prompt: string;
  completion: string;
}

export interface MessagesRecord extends RecordCommon {
  kind: 'messages';
  messages: ChatMessage[];
}

export interface TextRecord extends RecordCommon {
  kind: 'text';
  text: string;
}

/**
 * A preference pair in TRL's format: {"prompt","chosen","rejected"} as text, or in chat form as lists of messages (the
 * prompt's turns, then the chosen and the rejected answer's turns). All three share one form.
 */
export interface PreferenceRecord extends RecordCommon {
  kind: 'preference';
  prompt: string | ChatMessage[];
  chosen: string | ChatMessage[];
  rejected: string | ChatMessage[];
}

export type DatasetRecord = PromptCompletionRecord | MessagesRecord | TextRecord | PreferenceRecord;
export type RecordKind = DatasetRecord['kind'];

/** A line that was skipped, with a reason a user understands ("line 7: not valid JSON (…)"). */
export interface BadLine {
  line: number;
  reason: string;
}

/** Result of validating one object: the record, or the reason it is not one (without the "line N:" prefix). */
export type RecordCheck = { ok: true; record: DatasetRecord } | { ok: false; reason: string };

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function readTags(value: unknown): string[] | string {
  if (typeof value === 'string') {
    return value
      .split(/[,;]/)
      .map((t) => t.trim())
      .filter((t) => t.length > 0);
  }
  if (Array.isArray(value) && value.every((t) => typeof t === 'string')) return value as string[];
  return `"tags" must be a list of strings or a comma-separated string, got ${describeType(value)}`;
}

function readMessages(value: unknown): ChatMessage[] | string {
  if (!Array.isArray(value)) return `"messages" must be a list, got ${describeType(value)}`;
  if (value.length === 0) return '"messages" is empty';
  const messages: ChatMessage[] = [];
  for (let i = 0; i < value.length; i++) {
    const m = value[i] as Record<string, unknown> | null;
    const where = `message ${i + 1}`;
    if (!m || typeof m !== 'object' || Array.isArray(m)) return `${where} must be an object with "role" and "content"`;
    if (typeof m.role !== 'string' || m.role.length === 0) return `${where} has no "role" (system, user or assistant)`;
    if (typeof m.content !== 'string') return `${where} ("${m.role}") has no text "content"`;
    const message: ChatMessage = { role: m.role, content: m.content };
    if (m.weight !== undefined) {
      if (typeof m.weight !== 'number' || !(m.weight >= 0 && m.weight <= 1)) return `${where} has "weight" ${JSON.stringify(m.weight)}; use 0 or 1`;
      message.weight = m.weight;
    }
    messages.push(message);
  }
  return messages;
}

const sameMessage = (a: ChatMessage, b: ChatMessage) => a.role === b.role && a.content === b.content && a.weight === b.weight;

/**
 * TRL's preference row: explicit prompt (text or messages), or (chat form) an implicit one, the messages that chosen
 * and rejected share at their start (TRL's extract_prompt). Missing sides and identical answers are refused.
 */
function readPreference(obj: Record<string, unknown>): Pick<PreferenceRecord, 'prompt' | 'chosen' | 'rejected'> | string {
  if (obj.chosen === undefined || obj.chosen === null) return 'has "rejected" but no "chosen"; a preference row needs both answers';
  if (obj.rejected === undefined || obj.rejected === null) return 'has "chosen" but no "rejected"; a preference row needs both answers';
  if (typeof obj.chosen === 'string' || typeof obj.rejected === 'string') {
    if (typeof obj.chosen !== 'string' || typeof obj.rejected !== 'string') return '"chosen" and "rejected" must both be text or both be lists of messages';
    if (typeof obj.prompt !== 'string') return obj.prompt === undefined ? 'has text "chosen"/"rejected" but no "prompt"' : '"prompt" must be text when "chosen" and "rejected" are text';
    if (obj.chosen.length === 0 || obj.rejected.length === 0) return `"${obj.chosen.length === 0 ? 'chosen' : 'rejected'}" is empty`;
    if (obj.chosen === obj.rejected) return '"chosen" and "rejected" are identical, so there is no preference to learn';
    return { prompt: obj.prompt, chosen: obj.chosen, rejected: obj.rejected };
  }
  const chosen = readMessages(obj.chosen);
  if (typeof chosen === 'string') return `"chosen": ${chosen.replace('"messages" ', '')}`;
  const rejected = readMessages(obj.rejected);
  if (typeof rejected === 'string') return `"rejected": ${rejected.replace('"messages" ', '')}`;
  let prompt: ChatMessage[];
  let [c, r] = [chosen, rejected];
  if (obj.prompt === undefined || obj.prompt === null) {
    let k = 0;
    while (k < c.length && k < r.length && sameMessage(c[k], r[k])) k++;
    if (k === 0) return 'has no "prompt", and "chosen" and "rejected" share no opening messages to take it from';
    [prompt, c, r] = [c.slice(0, k), c.slice(k), r.slice(k)];
  } else {
    const read = readMessages(obj.prompt);
    if (typeof read === 'string') return typeof obj.prompt === 'string' ? '"prompt" must be a list of messages when "chosen" and "rejected" are' : `"prompt": ${read.replace('"messages" ', '')}`;
    prompt = read;
  }
  if (c.length === 0 || r.length === 0) return `"${c.length === 0 ? 'chosen' : 'rejected'}" has no messages after the prompt`;
  if (c.length === r.length && c.every((m, i) => sameMessage(m, r[i]))) return '"chosen" and "rejected" are identical, so there is no preference to learn';
  return { prompt, chosen: c, rejected: r };
}

/** Validates a parsed JSON value (or a CSV row mapped to these keys) as one of the three shapes. */
export function checkRecord(value: unknown, line: number): RecordCheck {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: `expected a JSON object, got ${describeType(value)}` };
  }
  const obj = value as Record<string, unknown>;
  const common: RecordCommon = { line };
  if (obj.cohort !== undefined && obj.cohort !== null && obj.cohort !== '') {
    if (typeof obj.cohort !== 'string' && typeof obj.cohort !== 'number') {
      return { ok: false, reason: `"cohort" must be a string, got ${describeType(obj.cohort)}` };
    }
    common.cohort = String(obj.cohort);
  }
  if (obj.tags !== undefined && obj.tags !== null) {
    const tags = readTags(obj.tags);
    if (typeof tags === 'string') return { ok: false, reason: tags };
    if (tags.length) common.tags = tags;
  }
  if (obj.chosen !== undefined || obj.rejected !== undefined) {
    const pair = readPreference(obj);
    if (typeof pair === 'string') return { ok: false, reason: pair };
    return { ok: true, record: { kind: 'preference', ...common, ...pair } };
  }
  if (obj.messages !== undefined) {
    const messages = readMessages(obj.messages);
    if (typeof messages === 'string') return { ok: false, reason: messages };
    return { ok: true, record: { kind: 'messages', ...common, messages } };
  }
  if (obj.conversations !== undefined && obj.conversations !== null) {
    const messages = shareGptMessages(obj.conversations);
    if (typeof messages === 'string') return { ok: false, reason: messages };
    return { ok: true, record: { kind: 'messages', ...common, messages } };
  }
  if (obj.instruction !== undefined && obj.output !== undefined) {
    const messages = alpacaMessages(obj);
    if (typeof messages === 'string') return { ok: false, reason: messages };
    return { ok: true, record: { kind: 'messages', ...common, messages } };
  }
  if (obj.prompt !== undefined || obj.completion !== undefined) {
    if (typeof obj.prompt !== 'string') return { ok: false, reason: `has "completion" but no text "prompt"` };
    if (typeof obj.completion !== 'string') return { ok: false, reason: `has "prompt" but no text "completion"` };
    if (obj.completion.length === 0) return { ok: false, reason: '"completion" is empty, so there is nothing to learn' };
    return { ok: true, record: { kind: 'prompt-completion', ...common, prompt: obj.prompt, completion: obj.completion } };
  }
  if (obj.text !== undefined) {
    if (typeof obj.text !== 'string') return { ok: false, reason: `"text" must be a string, got ${describeType(obj.text)}` };
    if (obj.text.length === 0) return { ok: false, reason: '"text" is empty' };
    return { ok: true, record: { kind: 'text', ...common, text: obj.text } };
  }
  return { ok: false, reason: 'has neither prompt/completion, messages, text, prompt/chosen/rejected, ShareGPT "conversations" nor Alpaca "instruction"/"output"' };
}
