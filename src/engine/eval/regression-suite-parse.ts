// Parses a user's regression suite file (JSONL: prompt/answer, prompt/completion, chat or text rows) into abilities, refusing bad rows by line.

import { RegressionSuiteError } from '../errors';
import { validateAbilities, type RegressionAbility, type RegressionAnswerItem, type RegressionTextItem } from './regression-suite';

/** Fields a row's prompt, reference answer and ability may come under (the first present wins). */
const PROMPT_FIELDS = ['prompt', 'input', 'question', 'instruction'] as const;
const ANSWER_FIELDS = ['answer', 'completion', 'output', 'response', 'target'] as const;
const ABILITY_FIELDS = ['ability', 'skill', 'category', 'task'] as const;

function stringField(row: Record<string, unknown>, fields: readonly string[]): { field: string; value: string } | null {
  for (const field of fields) {
    const value = row[field];
    if (typeof value === 'string') return { field, value };
  }
  return null;
}

/** The first user and assistant turns of a chat row ({"messages":[{role, content}…]}) as prompt and answer. */
function chatPair(row: Record<string, unknown>): RegressionAnswerItem | null {
  const messages = row.messages;
  if (!Array.isArray(messages)) return null;
  const turns = messages.filter((m): m is { role: string; content: string } => typeof m === 'object' && m !== null && typeof m.role === 'string' && typeof m.content === 'string');
  const last = turns.at(-1);
  if (!last || last.role !== 'assistant' || turns.length < 2) return null;
  // Earlier turns as plain lines: the suite is scored on raw text, the same way for the base and the fine-tune.
  return { prompt: turns.slice(0, -1).map((t) => t.content).join('\n') + '\n', answer: last.content };
}

/**
 * Parses a JSONL suite file: one ability per distinct `ability` (or skill/category/task) value, rows without one go to
 * `defaultAbility`. Rows are {"prompt","answer"} / {"prompt","completion"} / a chat {"messages":[…]} ending in the
 * assistant's answer (exact match), or {"text"} (held-out text perplexity). Throws RegressionSuiteError naming the line.
 */
export function parseRegressionSuite(text: string, defaultAbility: string): RegressionAbility[] {
  const lines = text.split(/\r?\n/);
  const groups = new Map<string, RegressionAbility>();
  let firstFields: string[] | null = null;
  let rows = 0;
  let unusable = 0;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const lineNo = index + 1;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new RegressionSuiteError(`Line ${lineNo} of the suite file is not valid JSON.`, 'A suite file is JSON Lines: one {"prompt": …, "answer": …} object per line.');
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new RegressionSuiteError(`Line ${lineNo} of the suite file is not a JSON object.`, 'Write one {"prompt": …, "answer": …} object per line.');
    }
    rows++;
    const record = row as Record<string, unknown>;
    firstFields ??= Object.keys(record);
    const ability = stringField(record, ABILITY_FIELDS)?.value.trim() || defaultAbility;
    const prompt = stringField(record, PROMPT_FIELDS);
    const answer = stringField(record, ANSWER_FIELDS);
    const chat = prompt ? null : chatPair(record);
    const textField = typeof record.text === 'string' ? record.text : null;
    let item: { metric: 'exact_match'; item: RegressionAnswerItem } | { metric: 'perplexity'; item: RegressionTextItem };
    if (prompt && answer) {
      if (answer.value.trim() === '') {
        throw new RegressionSuiteError(`Line ${lineNo} has an empty ${answer.field}; exact match needs a reference answer on every row.`, 'Fill in the answer or remove the row, then build the suite again.');
      }
      if (/[\r\n]/.test(answer.value.trim())) {
        throw new RegressionSuiteError(`Line ${lineNo}'s ${answer.field} spans several lines; exact match reads the model's answer up to its first line break.`, 'Keep reference answers on one line.');
      }
      if (prompt.value === '') throw new RegressionSuiteError(`Line ${lineNo} has an empty ${prompt.field}.`, 'Every row needs the prompt the model answers.');
      item = { metric: 'exact_match', item: { prompt: prompt.value, answer: answer.value } };
    } else if (chat) {
      if (chat.answer.trim() === '') throw new RegressionSuiteError(`Line ${lineNo} ends with an empty assistant message; exact match needs a reference answer on every row.`, 'Fill in the answer or remove the row.');
      if (/[\r\n]/.test(chat.answer.trim())) throw new RegressionSuiteError(`Line ${lineNo}'s assistant answer spans several lines; exact match reads the model's answer up to its first line break.`, 'Keep reference answers on one line.');
      item = { metric: 'exact_match', item: chat };
    } else if (prompt && !answer) {
      throw new RegressionSuiteError(`Line ${lineNo} has a ${prompt.field} but no reference answer (answer or completion).`, 'Exact match needs the answer the model must keep giving: add an "answer" field to every row.');
    } else if (textField !== null) {
      if (textField.trim() === '') throw new RegressionSuiteError(`Line ${lineNo} has an empty text.`, 'Remove the row or fill in the text.');
      item = { metric: 'perplexity', item: { text: textField } };
    } else {
      unusable++;
      return;
    }
    const key = `${ability}\u0000${item.metric}`;
    let group = groups.get(key);
    if (!group) {
      group = item.metric === 'exact_match' ? { name: ability, metric: 'exact_match', items: [] } : { name: ability, metric: 'perplexity', items: [] };
      groups.set(key, group);
    }
    (group.items as unknown[]).push(item.item);
  });
  if (rows === 0) throw new RegressionSuiteError('The suite file has no rows.', 'Choose a JSONL file with one {"prompt": …, "answer": …} object per line.');
  if (groups.size === 0) {
    throw new RegressionSuiteError(
      `None of the ${rows} rows has prompt and answer fields (its first row has: ${(firstFields ?? []).join(', ') || 'no fields'}).`,
      'Each line needs {"prompt": …, "answer": …} (or "completion" for the answer, a chat "messages" list ending in the assistant\'s answer, or "text" for held-out text).',
    );
  }
  if (unusable > 0) {
    throw new RegressionSuiteError(`${unusable} of ${rows} rows have neither prompt/answer nor text fields.`, 'Give every row the same shape, or remove the rows that have none.');
  }
  const abilities = [...groups.values()];
  // Two metrics under one ability name would show as two rows of the same name: suffix the metric.
  const names = abilities.map((a) => a.name);
  for (const a of abilities) if (names.filter((n) => n === a.name).length > 1) a.name = `${a.name} (${a.metric === 'perplexity' ? 'text' : 'answers'})`;
  validateAbilities(abilities);
  return abilities;
}

