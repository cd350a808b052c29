// Tiny World rows are tokenized with the shipped base's own tokenizer: no start token, no EOS, loss on the completion only.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { loadTokenizer } from '../../src/engine/tokenizers';
import { encodeRecordWithTokenizer, encodeWithTokenizer } from './base-model';

const folder = resolve(__dirname, '../../public/models/tiny-world-800k');
const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')));
const vocab = (JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;

test('a ROUTE row becomes one id per character, weights 0 on the prompt and 1 on the answer and its newline', () => {
  const row = { id: 'r1', line: 1, split: 'train' as const, kind: 'prompt-completion' as const, prompt: 'ROUTE my card was charged twice=', completion: 'billing\n', cohort: 'uk' };
  const example = encodeWithTokenizer(row, tokenizer, 64);
  const text = row.prompt + row.completion;
  // Hand-built from tokenizer.json's vocabulary: the char tokenizer maps each character to its own id.
  expect(example.ids).toEqual([...text].map((c) => vocab[c]));
  expect(example.weights).toEqual([...text].map((_, t) => (t >= row.prompt.length ? 1 : 0)));
  expect(example.ids).not.toContain(tokenizer.eosId);
  expect(example).toMatchObject({ id: 'r1', cohort: 'uk' });
});

test('rows longer than the context are cut to it', () => {
  const example = encodeWithTokenizer({ id: 'r2', line: 2, split: 'train', kind: 'prompt-completion', prompt: 'REV ' + 'a'.repeat(70) + '=', completion: 'a\n' }, tokenizer, 64);
  expect(example.ids).toHaveLength(64);
  expect(example.truncated).toBe(true);
});

test('a chat row for a Hub model is rendered with its chat template (ChatML here), loss on the assistant turn only', () => {
  const fixture = resolve(__dirname, '../../src/engine/hub/fixtures/tunelab-test/tiny-qwen2');
  const qwen = loadTokenizer(JSON.parse(readFileSync(resolve(fixture, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(resolve(fixture, 'tokenizer_config.json'), 'utf8')));
  const messages = [
    { role: 'user', content: 'hi there' },
    { role: 'assistant', content: 'hello' },
  ];
  const row = { id: 'c1', line: 1, split: 'train' as const, kind: 'messages' as const, messages, prompt: 'user: hi there\nassistant: ', completion: 'hello' };
  const example = encodeRecordWithTokenizer(row, qwen, 64);
  // The template's text, written out by hand: what the model sees at chat time too.
  const text = '<|im_start|>user\nhi there<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n';
  expect(example.ids).toEqual(qwen.encode(text));
  expect(qwen.decode(example.ids.filter((_, t) => example.weights[t] > 0))).toBe('hello<|im_end|>\n');
  expect(example.id).toBe('c1');
});
