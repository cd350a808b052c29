// tokenizeRecords skips records with nothing to learn; recordsToJsonl round-trips through parseJsonl.
import { describe, expect, it } from 'vitest';
import { buildCharTokenizerJson } from '../tokenizers/char-tokenizer-json';
import { loadTokenizer } from '../tokenizers/load';
import { parseJsonl } from './jsonl';
import type { DatasetRecord } from './record';
import { recordsToJsonl } from './serialize';
import { tokenizeRecords } from './tokenize-dataset';

const tok = loadTokenizer(buildCharTokenizerJson([...'abcdefghijklmnopqrstuvwxyz :\n']));

const records: DatasetRecord[] = [
  { kind: 'prompt-completion', line: 1, prompt: 'abcdef', completion: 'g' },
  { kind: 'prompt-completion', line: 2, prompt: 'ab', completion: 'cdefgh', cohort: 'c', tags: ['t'] },
  { kind: 'messages', line: 3, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a', weight: 0 }] },
  { kind: 'text', line: 4, text: 'xy' },
];

describe('tokenizeRecords', () => {
  it('keeps examples with trained tokens, counts truncation, and explains skips', () => {
    const result = tokenizeRecords(records, tok, { maxSeqLen: 5 });
    expect(result.examples.map((e) => e.ids.length)).toEqual([5, 3]);
    expect(result.truncatedCount).toBe(1); // line 2: 'ab' + 'cdefgh' + eos = 9 → 5, three trained tokens left
    expect(result.trainedTokens).toBe(3 + 2); // line 2: c d e; line 4: y, eos
    expect(result.skipped.map((s) => s.line)).toEqual([1, 3]);
    expect(result.skipped[0].reason).toMatch(/^line 1: the prompt fills all 5 tokens/);
    expect(result.skipped[1].reason).toMatch(/^line 3: has no tokens to learn from/);
  });
});

describe('tokenizeRecords with a chat template that refuses some conversations', () => {
  it('lists the refused record as skipped and keeps the rest', () => {
    const strict = loadTokenizer(buildCharTokenizerJson([...'abcdefghijklmnopqrstuvwxyz :\n']), {
      chat_template: "{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('no system role') }}{% endif %}{{ m.role }}: {{ m.content }}\n{% endfor %}",
    });
    const result = tokenizeRecords(
      [
        { kind: 'messages', line: 1, messages: [{ role: 'system', content: 's' }, { role: 'assistant', content: 'a' }] },
        { kind: 'messages', line: 2, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] },
      ],
      strict,
      { maxSeqLen: 64 },
    );
    expect(result.examples.length).toBe(1);
    expect(result.skipped).toEqual([{ line: 1, reason: expect.stringMatching(/^line 1: The model's chat template refused this conversation: .*no system role/) }]);
    expect(strict.decode(result.examples[0].ids.filter((_, t) => result.examples[0].weights[t] > 0))).toBe('a\n<eos>');
  });
});

describe('recordsToJsonl', () => {
  it('round-trips through parseJsonl', async () => {
    const text = recordsToJsonl(records);
    expect(text.split('\n')[0]).toBe('{"prompt":"abcdef","completion":"g"}');
    const parsed = await parseJsonl(text);
    expect(parsed.records).toEqual(records);
  });
});
