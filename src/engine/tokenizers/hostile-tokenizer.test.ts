// Damaged or hostile tokenizer.json files give TokenizerError, never a raw TypeError.
import { describe, expect, it } from 'vitest';
import { TokenizerError } from '../errors';
import { buildCharTokenizerJson } from './char-tokenizer-json';
import { loadTokenizer } from './load';

describe('hostile tokenizer files', () => {
  const good = buildCharTokenizerJson(['a', 'b']);
  const cases: [string, unknown, unknown?][] = [
    ['null', null],
    ['an array', []],
    ['no model', { version: '1.0' }],
    ['model is a string', { model: 'BPE' }],
    ['unknown model type', { ...good, model: { type: 'Magic', vocab: {} } }],
    ['vocab is a list', { ...good, model: { ...good.model, vocab: ['a'] } }],
    ['negative id', { ...good, model: { ...good.model, vocab: { a: -1 } } }],
    ['vocab is null', { ...good, model: { ...good.model, vocab: null } }],
    ['bad pre-tokenizer regex', { ...good, pre_tokenizer: { type: 'Split', pattern: { Regex: '(' }, behavior: 'Isolated', invert: false } }],
    ['config is an array', good, []],
  ];
  for (const [label, json, config] of cases) {
    it(`refuses ${label} with a TokenizerError`, () => {
      let thrown: unknown;
      try {
        const tok = loadTokenizer(json as object, config as object | undefined);
        tok.decode(tok.encode('ab ba'));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TokenizerError);
    });
  }
});
