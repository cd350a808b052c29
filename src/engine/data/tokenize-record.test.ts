// tokenizeRecord with a character tokenizer: ids and weights computed by hand.
import { describe, expect, it } from 'vitest';
import { buildCharTokenizerJson } from '../tokenizers/char-tokenizer-json';
import { loadTokenizer } from '../tokenizers/load';
import { plainChatRenderer, weightedChatSegments, type ChatRenderer } from './chat-render';
import type { DatasetRecord } from './record';
import { recordId } from './record-id';
import { tokenizeRecord } from './tokenize-record';

// <pad>=0 <eos>=1 <unk>=2, then a=3 b=4 c=5 ...
const letters = [...'abcdefghijklmnopqrstuvwxyz'];
const tok = loadTokenizer(buildCharTokenizerJson([...letters, ' ', ':', '\n', '=', '+', '2', '4']));
const id = (c: string) => tok.tokenToId(c)!;

describe('tokenizeRecord', () => {
  it('weights prompt 0 and completion + EOS 1', () => {
    const record: DatasetRecord = { kind: 'prompt-completion', line: 1, prompt: 'ab', completion: 'c', cohort: 'x' };
    const example = tokenizeRecord(record, tok, { maxSeqLen: 64 });
    expect(example.ids).toEqual([3, 4, 5, 1]);
    expect(example.weights).toEqual([0, 0, 1, 1]);
    expect(example.cohort).toBe('x');
    expect(example.id).toBe(recordId(record));
    expect(example.id).toMatch(/^[0-9a-f]{16}$/);
    expect(tokenizeRecord(record, tok, { maxSeqLen: 64, appendEos: false }).ids).toEqual([3, 4, 5]);
  });

  it('weights every text token but the first', () => {
    const example = tokenizeRecord({ kind: 'text', line: 1, text: 'abc' }, tok, { maxSeqLen: 64 });
    expect(example.ids).toEqual([3, 4, 5, 1]);
    expect(example.weights).toEqual([0, 1, 1, 1]);
  });

  it('truncates to maxSeqLen and says so', () => {
    const example = tokenizeRecord({ kind: 'prompt-completion', line: 1, prompt: 'a', completion: 'bcd' }, tok, { maxSeqLen: 3 });
    expect(example.ids).toEqual([3, 4, 5]);
    expect(example.weights).toEqual([0, 1, 1]);
    expect(example.truncated).toBe(true);
  });

  it('renders messages plainly and trains assistant content only, with per-message weights', () => {
    const record: DatasetRecord = {
      kind: 'messages',
      line: 1,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'yo' },
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'no', weight: 0 },
      ],
    };
    const example = tokenizeRecord(record, tok, { maxSeqLen: 200 });
    const text = 'user: hi\nassistant: yo\nuser: a\nassistant: no\n';
    expect(tok.decode(example.ids)).toBe(text + '<eos>');
    // Only "yo\n" (3 tokens) is trained; the final eos follows an untrained message so weighs 0.
    const trained = example.ids.filter((_, t) => example.weights[t] > 0).map((i) => tok.idToToken(i)).join('');
    expect(trained).toBe('yo\n');
    expect(example.weights.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('honours trainRoles and ends with a weighted EOS after a trained message', () => {
    const record: DatasetRecord = { kind: 'messages', line: 1, messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] };
    const example = tokenizeRecord(record, tok, { maxSeqLen: 200 });
    expect(example.weights.slice(-3)).toEqual([1, 1, 1]); // 'b', '\n', <eos>
    const all = tokenizeRecord(record, tok, { maxSeqLen: 200, trainRoles: ['user', 'assistant'] });
    expect(all.ids.filter((_, t) => all.weights[t] > 0).map((i) => tok.idToToken(i)).join('')).toBe('a\nb\n<eos>');
    expect(id('a')).toBe(3);
  });

  it('splits a template whose prefixes are not prefixes by searching message content', () => {
    // A template that drops earlier assistant turns' content breaks the prefix property.
    const dropping: ChatRenderer = (messages, gen) =>
      messages.map((m, i) => `${m.role}:${m.role === 'assistant' && i < messages.length - 1 ? '' : m.content}\n`).join('') + (gen ? 'assistant:' : '');
    const messages = [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'x' }, { role: 'user', content: 'r' }, { role: 'assistant', content: 'zz' }];
    const segments = weightedChatSegments(messages, dropping, (m) => (m.role === 'assistant' ? 1 : 0));
    expect(segments.map((s) => s.text).join('')).toBe(dropping(messages, false));
    expect(segments.filter((s) => s.weight > 0).map((s) => s.text)).toEqual(['zz']);
    expect(plainChatRenderer([{ role: 'user', content: 'hi' }], true)).toBe('user: hi\nassistant: ');
  });
});
