// A preference pair's two sides as ordinary records (prompt + chosen, prompt + rejected): what SFT and DPO tokenize.
import type { ChatMessage, DatasetRecord, PreferenceRecord } from './record';

type Side = Exclude<DatasetRecord, PreferenceRecord>;

/** The prompt followed by one answer: a prompt/completion record (text form) or a conversation (chat form). */
function sideOf(record: PreferenceRecord, answer: string | ChatMessage[]): Side {
  const common = { line: record.line, ...(record.cohort !== undefined && { cohort: record.cohort }), ...(record.tags !== undefined && { tags: record.tags }) };
  if (typeof record.prompt === 'string' && typeof answer === 'string') return { kind: 'prompt-completion', ...common, prompt: record.prompt, completion: answer };
  return { kind: 'messages', ...common, messages: [...(record.prompt as ChatMessage[]), ...(answer as ChatMessage[])] };
}

/** [prompt + chosen, prompt + rejected]. */
export function preferenceSides(record: PreferenceRecord): [Side, Side] {
  return [sideOf(record, record.chosen), sideOf(record, record.rejected)];
}

/** Every human-written text of the pair: the prompt's, the chosen answer's and the rejected answer's. */
export function preferenceTexts(record: PreferenceRecord): string[] {
  const texts = (v: string | ChatMessage[]) => (typeof v === 'string' ? [v] : v.map((m) => m.content));
  return [...texts(record.prompt), ...texts(record.chosen), ...texts(record.rejected)];
}
