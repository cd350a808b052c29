// ShareGPT and Alpaca rows, as JSONL lines and as a JSON array, become chat messages; bad rows say which turn and why.
import { describe, expect, it } from 'vitest';
import { detectRowFormat } from './chat-formats';
import { parseJsonArray, parseJsonl } from './jsonl';

describe('chat formats', () => {
  it('detects each format by its keys', () => {
    expect(detectRowFormat({ conversations: [] })).toBe('sharegpt');
    expect(detectRowFormat({ instruction: 'a', input: '', output: 'b' })).toBe('alpaca');
    expect(detectRowFormat({ messages: [] })).toBe('messages');
    expect(detectRowFormat({ prompt: 'a', completion: 'b' })).toBe('prompt-completion');
    expect(detectRowFormat({ text: 'a' })).toBe('text');
    expect(detectRowFormat({ label: 1 })).toBeNull();
    expect(detectRowFormat([1])).toBeNull();
  });

  it('reads ShareGPT JSONL lines as messages (human/gpt/system), naming bad turns by line', async () => {
    const lines = [
      { conversations: [{ from: 'system', value: 'S' }, { from: 'human', value: 'Q' }, { from: 'gpt', value: 'A' }], cohort: 'x' },
      { conversations: [{ from: 'human', value: 'Q' }, { from: 'bot', value: 'A' }] },
      { conversations: [{ from: 'human', value: 'only a question' }] },
      { conversations: [{ from: 'human' }, { from: 'gpt', value: 'A' }] },
      { conversations: 'not a list' },
    ].map((l) => JSON.stringify(l));
    const result = await parseJsonl(lines.join('\n'));
    expect(result.records).toEqual([
      { kind: 'messages', line: 1, cohort: 'x', messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }] },
    ]);
    expect(result.badLines.map((b) => b.reason)).toEqual([
      'line 2: turn 2 of "conversations" is from "bot"; ShareGPT turns are from human, gpt or system',
      'line 3: "conversations" has no gpt turn, so there is nothing to learn',
      'line 4: turn 1 of "conversations" ("human") has no text "value"',
      'line 5: "conversations" must be a list of {"from", "value"} turns',
    ]);
  });

  it('reads an Alpaca JSON array (as alpaca_data.json is) item by item', async () => {
    const items = [
      { instruction: 'Give three tips.', input: '', output: '1. Sleep.' },
      { instruction: 'Translate.', input: 'Bonjour', output: 'Hello' },
      { instruction: 'Empty.', input: '', output: '' },
      { instruction: 42, output: 'x' },
    ];
    const result = await parseJsonArray(JSON.stringify(items, null, 2));
    expect(result.records).toEqual([
      { kind: 'messages', line: 1, messages: [{ role: 'user', content: 'Give three tips.' }, { role: 'assistant', content: '1. Sleep.' }] },
      { kind: 'messages', line: 2, messages: [{ role: 'user', content: 'Translate.\n\nBonjour' }, { role: 'assistant', content: 'Hello' }] },
    ]);
    expect(result.badLines).toEqual([
      { line: 3, reason: 'item 3: "output" is empty, so there is nothing to learn' },
      { line: 4, reason: 'item 4: "instruction" must be text' },
    ]);
    await expect(parseJsonArray('{"a": 1}')).rejects.toThrow('The JSON file is not an array of rows.');
    await expect(parseJsonArray('[{"a": 1},')).rejects.toThrow(/^The JSON file does not parse/);
  });
});
