// Preference rows (TRL's {"prompt","chosen","rejected"}, text and chat form): parsing, refusals naming the row, tokenized pairs.
import { describe, expect, it } from 'vitest';
import { buildCharTokenizerJson } from '../tokenizers/char-tokenizer-json';
import { loadTokenizer } from '../tokenizers/load';
import { parseJsonl } from './jsonl';
import { checkRecord, type PreferenceRecord } from './record';
import { recordId } from './record-id';
import { recordToJson } from './serialize';
import { tokenizeRecord } from './tokenize-record';

const user = (content: string) => ({ role: 'user', content });
const assistant = (content: string) => ({ role: 'assistant', content });
const reasonOf = (value: unknown) => {
  const check = checkRecord(value, 1);
  return check.ok ? null : check.reason;
};

describe('preference rows', () => {
  it('reads the text form and the chat form, with an explicit or an implicit prompt', () => {
    const text = checkRecord({ prompt: '2+2=', chosen: '4', rejected: '5', cohort: 'math' }, 3);
    expect(text).toEqual({ ok: true, record: { kind: 'preference', line: 3, cohort: 'math', prompt: '2+2=', chosen: '4', rejected: '5' } });
    const chat = checkRecord({ prompt: [user('hi')], chosen: [assistant('hello')], rejected: [assistant('go away')] }, 1);
    expect(chat.ok && chat.record).toMatchObject({ kind: 'preference', prompt: [user('hi')], chosen: [assistant('hello')], rejected: [assistant('go away')] });
    // TRL's implicit prompt: the turns that chosen and rejected share at their start.
    const implicit = checkRecord({ chosen: [user('hi'), assistant('hello')], rejected: [user('hi'), assistant('go away')] }, 1);
    expect(implicit.ok && implicit.record).toMatchObject({ kind: 'preference', prompt: [user('hi')], chosen: [assistant('hello')], rejected: [assistant('go away')] });
  });

  it('refuses missing sides, identical answers and mixed forms with a reason', () => {
    expect(reasonOf({ prompt: 'q', chosen: 'a' })).toBe('has "chosen" but no "rejected"; a preference row needs both answers');
    expect(reasonOf({ prompt: 'q', rejected: 'a' })).toBe('has "rejected" but no "chosen"; a preference row needs both answers');
    expect(reasonOf({ prompt: 'q', chosen: 'same', rejected: 'same' })).toBe('"chosen" and "rejected" are identical, so there is no preference to learn');
    expect(reasonOf({ prompt: [user('q')], chosen: [assistant('a')], rejected: [assistant('a')] })).toMatch(/identical/);
    expect(reasonOf({ chosen: 'a', rejected: 'b' })).toBe('has text "chosen"/"rejected" but no "prompt"');
    expect(reasonOf({ prompt: 'q', chosen: 'a', rejected: [assistant('b')] })).toMatch(/both be text or both be lists of messages/);
    expect(reasonOf({ prompt: 'q', chosen: '', rejected: 'b' })).toBe('"chosen" is empty');
    expect(reasonOf({ chosen: [assistant('a')], rejected: [assistant('b')] })).toMatch(/share no opening messages/);
    expect(reasonOf({ prompt: [user('q')], chosen: [{ role: 'assistant' }], rejected: [assistant('b')] })).toMatch(/^"chosen": message 1/);
  });

  it('names the line of each bad row in a JSONL file and keeps the good ones', async () => {
    const file = [
      JSON.stringify({ prompt: 'a', chosen: 'b', rejected: 'c' }),
      JSON.stringify({ prompt: 'a', chosen: 'b' }),
      JSON.stringify({ prompt: 'a', chosen: 'x', rejected: 'x' }),
    ].join('\n');
    const result = await parseJsonl(file);
    expect(result.records).toHaveLength(1);
    expect(result.badLines.map((b) => b.reason)).toEqual([
      'line 2: has "chosen" but no "rejected"; a preference row needs both answers',
      'line 3: "chosen" and "rejected" are identical, so there is no preference to learn',
    ]);
  });

  it('round-trips through JSON, and its id depends on both answers', () => {
    const record: PreferenceRecord = { kind: 'preference', line: 1, prompt: [user('q')], chosen: [assistant('a')], rejected: [assistant('b')] };
    const back = checkRecord(JSON.parse(recordToJson(record)), 1);
    expect(back.ok && back.record).toEqual(record);
    expect(recordId(record)).not.toBe(recordId({ ...record, rejected: [assistant('c')] }));
  });

  it('tokenizes into the chosen sequence with the rejected beside it, answers weighted 1 and the prompt 0', () => {
    const tok = loadTokenizer(buildCharTokenizerJson([...'abcxyz= ']));
    const example = tokenizeRecord({ kind: 'preference', line: 1, prompt: 'ab=', chosen: 'xy', rejected: 'zzz' }, tok, { maxSeqLen: 64, appendEos: false });
    expect(tok.decode(example.ids)).toBe('ab=xy');
    expect(example.weights).toEqual([0, 0, 0, 1, 1]);
    expect(tok.decode(example.rejected!.ids)).toBe('ab=zzz');
    expect(example.rejected!.weights).toEqual([0, 0, 0, 1, 1, 1]);
  });
});
