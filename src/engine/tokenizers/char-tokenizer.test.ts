// Character tokenizer: ids by hand, and the same ids and text as @huggingface/tokenizers reading the same file.
import { describe, expect, it } from 'vitest';
import { HfTokenizer } from './hf-tokenizer';
import { buildCharTokenizerJson } from './char-tokenizer-json';
import { loadTokenizer } from './load';
import { TokenizerError } from '../errors';

const chars = [...'abcdefghijklmnopqrstuvwxyz .,!?\n'].concat(['é', '🙂']);

describe('char tokenizer', () => {
  const json = buildCharTokenizerJson(chars);
  const tok = loadTokenizer(json);

  it('takes the fast path with hand-computed ids', () => {
    expect(tok.kind).toBe('char');
    // <pad>=0 <eos>=1 <unk>=2, then 'a'=3, 'b'=4 ...
    expect(tok.encode('abc')).toEqual([3, 4, 5]);
    expect(tok.encode('hi!')).toEqual([3 + 7, 3 + 8, 3 + 26 + 3]);
    expect(tok.vocabSize).toBe(3 + chars.length);
    expect([tok.padId, tok.eosId, tok.unkId, tok.bosId]).toEqual([0, 1, 2, undefined]);
    expect(tok.specialTokens.get('<eos>')).toBe(1);
    expect(tok.idToToken(3)).toBe('a');
    expect(tok.tokenToId('🙂')).toBe(3 + chars.length - 1);
  });

  it('maps unknown characters to <unk> and matches special tokens in text', () => {
    expect(tok.encode('aZb')).toEqual([3, 2, 4]);
    expect(tok.encode('ab<eos>a')).toEqual([3, 4, 1, 3]);
    expect(tok.decode([3, 4, 1, 0], { skipSpecialTokens: true })).toBe('ab');
    expect(tok.decode([3, 4, 1])).toBe('ab<eos>');
  });

  it('round-trips text including emoji and newlines', () => {
    const text = 'hello, world!\né🙂 ok?';
    expect(tok.decode(tok.encode(text))).toBe(text);
    expect(tok.encode('🙂')).toHaveLength(1);
  });

  it('gives the same ids and text as @huggingface/tokenizers on the same tokenizer.json', () => {
    const hf = new HfTokenizer(json);
    for (const text of ['abc', 'hello, world!\né🙂 ok?', 'xyZ<eos>  q', '', '<pad><unk>a']) {
      expect(tok.encode(text)).toEqual(hf.encode(text));
      const ids = tok.encode(text);
      expect(tok.decode(ids)).toBe(hf.decode(ids));
    }
  });

  it('refuses unknown characters when there is no <unk>', () => {
    const strict = loadTokenizer(buildCharTokenizerJson(['a', 'b'], { specialTokens: ['<pad>', '<eos>'] }));
    expect(strict.encode('ab')).toEqual([2, 3]);
    expect(() => strict.encode('abc')).toThrow(TokenizerError);
    expect(() => strict.decode([99])).toThrow(TokenizerError);
  });

  it('rejects multi-character vocab entries when building', () => {
    expect(() => buildCharTokenizerJson(['ab'])).toThrow(/single character/);
  });
});
