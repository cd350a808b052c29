// The chat formats people's data comes in (ShareGPT, Alpaca) beside TuneLab's own shapes: detected per row, mapped to messages.
import type { ChatMessage } from './record';

/** A row's shape: TuneLab's own three, or one of the community formats it maps to messages. */
export type RowFormat = 'sharegpt' | 'alpaca' | 'messages' | 'prompt-completion' | 'text';

export const ROW_FORMAT_LABEL: Record<RowFormat, string> = {
  sharegpt: 'ShareGPT conversations (from human/gpt/system → user/assistant/system messages)',
  alpaca: 'Alpaca instructions (instruction + input → user message, output → assistant message)',
  messages: 'chat messages (role/content)',
  'prompt-completion': 'prompt/completion',
  text: 'plain text',
};

/** ShareGPT speaker names and the chat role each becomes; "user"/"assistant" are accepted as the many exports that use them do. */
const SHAREGPT_ROLES: Record<string, string> = { human: 'user', user: 'user', gpt: 'assistant', assistant: 'assistant', system: 'system' };

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The format one parsed row has, by its keys (null: none of them). Checked in the order checkRecord maps them. */
export function detectRowFormat(value: unknown): RowFormat | null {
  if (!isObject(value)) return null;
  if (value.messages !== undefined && value.messages !== null) return 'messages';
  if (value.conversations !== undefined && value.conversations !== null) return 'sharegpt';
  if (value.instruction !== undefined && value.output !== undefined) return 'alpaca';
  if (value.prompt !== undefined || value.completion !== undefined) return 'prompt-completion';
  if (value.text !== undefined) return 'text';
  return null;
}

/** ShareGPT `conversations` as chat messages, or the reason the row is not one (naming the turn and what it has). */
export function shareGptMessages(conversations: unknown): ChatMessage[] | string {
  if (!Array.isArray(conversations)) return '"conversations" must be a list of {"from", "value"} turns';
  if (conversations.length === 0) return '"conversations" is empty';
  const messages: ChatMessage[] = [];
  for (let i = 0; i < conversations.length; i++) {
    const turn = conversations[i] as unknown;
    const where = `turn ${i + 1} of "conversations"`;
    if (!isObject(turn)) return `${where} must be an object with "from" and "value"`;
    if (typeof turn.from !== 'string') return `${where} has no "from" (human, gpt or system)`;
    const role = SHAREGPT_ROLES[turn.from.toLowerCase()];
    if (!role) return `${where} is from "${turn.from}"; ShareGPT turns are from human, gpt or system`;
    if (typeof turn.value !== 'string') return `${where} ("${turn.from}") has no text "value"`;
    messages.push({ role, content: turn.value });
  }
  if (!messages.some((m) => m.role === 'assistant')) return '"conversations" has no gpt turn, so there is nothing to learn';
  return messages;
}

/**
 * An Alpaca row as a user/assistant exchange: the instruction, then the input (when there is one) after a blank line,
 * as the user's message; the output as the assistant's. The model's own chat template then renders it, as at inference.
 */
export function alpacaMessages(row: Record<string, unknown>): ChatMessage[] | string {
  const { instruction, input, output } = row;
  if (typeof instruction !== 'string') return '"instruction" must be text';
  if (input !== undefined && input !== null && typeof input !== 'string') return '"input" must be text (or empty)';
  if (typeof output !== 'string') return '"output" must be text';
  if (output.length === 0) return '"output" is empty, so there is nothing to learn';
  if (instruction.length === 0 && !input) return '"instruction" and "input" are both empty';
  const user = input ? (instruction ? `${instruction}\n\n${input}` : input) : instruction;
  return [
    { role: 'user', content: user },
    { role: 'assistant', content: output },
  ];
}
