// Suite files: the row shapes accepted, abilities grouped, and every bad input refused with a message saying what to fix.
import { describe, expect, test } from 'vitest';
import { RegressionSuiteError } from '../errors';
import { checkSuiteContext, MIN_ITEMS_PER_ABILITY } from './regression-suite';
import { parseRegressionSuite } from './regression-suite-parse';

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n');
const many = (n: number, row: (i: number) => object) => Array.from({ length: n }, (_, i) => row(i));

function errorOf(fn: () => unknown): RegressionSuiteError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RegressionSuiteError);
    return e as RegressionSuiteError;
  }
  throw new Error('expected a RegressionSuiteError');
}

describe('parseRegressionSuite', () => {
  test('prompt/answer and prompt/completion rows become exact-match items; the ability field groups them', () => {
    const rows = [...many(10, (i) => ({ prompt: `p${i}`, answer: `a${i}` })), ...many(12, (i) => ({ prompt: `q${i}`, completion: ` c${i}`, ability: 'math' }))];
    const abilities = parseRegressionSuite(jsonl(rows), 'keep.jsonl');
    expect(abilities.map((a) => [a.name, a.metric, a.items.length])).toEqual([
      ['keep.jsonl', 'exact_match', 10],
      ['math', 'exact_match', 12],
    ]);
    expect(abilities[1].items[3]).toEqual({ prompt: 'q3', answer: ' c3' });
  });

  test('chat rows give the earlier turns as the prompt and the last assistant turn as the answer; text rows give perplexity', () => {
    const chat = many(10, (i) => ({ messages: [{ role: 'user', content: `hi ${i}` }, { role: 'assistant', content: `yo ${i}` }] }));
    const text = many(10, (i) => ({ text: `some held-out line ${i}` }));
    const [a, b] = parseRegressionSuite(jsonl([...chat, ...text]), 'mine');
    expect(a).toMatchObject({ name: 'mine (answers)', metric: 'exact_match' });
    expect(a.items[2]).toEqual({ prompt: 'hi 2\n', answer: 'yo 2' });
    expect(b).toMatchObject({ name: 'mine (text)', metric: 'perplexity' });
    expect(b.items[0]).toEqual({ text: 'some held-out line 0' });
  });

  test('a file without prompt/answer columns names the fields it found', () => {
    const e = errorOf(() => parseRegressionSuite(jsonl(many(12, (i) => ({ question_id: i, label: 'x' }))), 'f'));
    expect(e.message).toBe('None of the 12 rows has prompt and answer fields (its first row has: question_id, label).');
    expect(e.hint).toContain('"prompt"');
  });

  test('an empty answer is refused with its line number', () => {
    const rows = many(12, (i) => ({ prompt: `p${i}`, answer: i === 4 ? '  ' : 'a' }));
    expect(errorOf(() => parseRegressionSuite(jsonl(rows), 'f')).message).toBe('Line 5 has an empty answer; exact match needs a reference answer on every row.');
  });

  test('prompts without any answer field are refused (exact match needs references)', () => {
    expect(errorOf(() => parseRegressionSuite(jsonl(many(12, (i) => ({ prompt: `p${i}` }))), 'f')).message).toBe('Line 1 has a prompt but no reference answer (answer or completion).');
  });

  test('too few items for an interval says how many each ability needs', () => {
    const rows = [...many(MIN_ITEMS_PER_ABILITY, (i) => ({ prompt: `p${i}`, answer: 'a', ability: 'big' })), ...many(4, (i) => ({ prompt: `p${i}`, answer: 'a', ability: 'small' }))];
    const e = errorOf(() => parseRegressionSuite(jsonl(rows), 'f'));
    expect(e.message).toBe('Too few items for an interval: “small” has 4; each ability needs at least 10.');
  });

  test('bad JSON, an empty file and multi-line answers are refused', () => {
    expect(errorOf(() => parseRegressionSuite('{"prompt": "a", "answer": "b"}\n{oops', 'f')).message).toBe('Line 2 of the suite file is not valid JSON.');
    expect(errorOf(() => parseRegressionSuite('\n\n', 'f')).message).toBe('The suite file has no rows.');
    expect(errorOf(() => parseRegressionSuite(jsonl(many(10, () => ({ prompt: 'p', answer: 'two\nlines' }))), 'f')).message).toContain('spans several lines');
  });
});

describe('checkSuiteContext', () => {
  const encode = (text: string) => [...text].map((c) => c.charCodeAt(0));
  test('prompt + answer + stop must fit the context; the message names the item and the context', () => {
    const abilities = parseRegressionSuite(jsonl(many(10, (i) => ({ prompt: i === 7 ? 'x'.repeat(61) : 'short', answer: 'abc' }))), 'keep');
    expect(() => checkSuiteContext(abilities, encode, 64)).toThrow("Item 8 of “keep” is 65 tokens long (prompt + answer + stop), beyond the model's context of 64.");
  });
  test('an item of exactly the context fits', () => {
    const abilities = parseRegressionSuite(jsonl(many(10, () => ({ prompt: 'x'.repeat(60), answer: 'abc' }))), 'keep');
    expect(() => checkSuiteContext(abilities, encode, 64)).not.toThrow();
    expect(() => checkSuiteContext(abilities, encode, 63)).toThrow(RegressionSuiteError);
  });
});
