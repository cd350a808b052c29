// The three record shapes a dataset line may have, validated from parsed JSON or a mapped CSV row (ShareGPT and Alpaca rows become messages).
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

export type DatasetRecord = PromptCompletionRecord | MessagesRecord | TextRecord;
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
  return { ok: false, reason: 'has neither prompt/completion, messages, text, ShareGPT "conversations" nor Alpaca "instruction"/"output"' };
}
