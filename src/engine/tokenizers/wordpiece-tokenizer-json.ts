// Builds BERT's WordPiece tokenizer.json from a vocab.txt token list (what Hugging Face's BertTokenizerFast writes).
import { TokenizerError } from '../errors';
import type { TokenizerJson } from './char-tokenizer-json';

export interface WordPieceFiles {
  /** vocab.txt's lines in id order: word starts plain, continuations with "##", specials such as [CLS]. */
  vocab: readonly string[];
  /** do_lower_case (uncased models, default true); accents are stripped with it, as BertTokenizerFast's default. */
  lowercase?: boolean;
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/**
 * tokenizer.json equivalent to BertTokenizerFast(vocab.txt): BertNormalizer (clean text, CJK split, lowercase + strip
 * accents), BertPreTokenizer, WordPiece with "##" and [UNK] (max 100 characters a word), [CLS] $A [SEP] with
 * token types 0 (pairs: [CLS] A [SEP] B [SEP], B and its [SEP] type 1), WordPiece decoder.
 */
export function buildWordPieceTokenizerJson(files: WordPieceFiles): TokenizerJson {
  const vocab: Record<string, number> = {};
  files.vocab.forEach((token, id) => {
    if (Object.hasOwn(vocab, token)) throw new TokenizerError(`vocab.txt lists "${token}" twice (ids ${vocab[token]} and ${id}).`, 'Use the vocab.txt from the model repository.');
    vocab[token] = id;
  });
  for (const s of ['[UNK]', '[CLS]', '[SEP]']) {
    if (!Object.hasOwn(vocab, s)) throw new TokenizerError(`vocab.txt has no ${s} token, which BERT's tokenizer needs.`, 'Use the vocab.txt from a BERT model repository.');
  }
  const lowercase = files.lowercase ?? true;
  const special = (t: string, typeId: number) => ({ SpecialToken: { id: t, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.filter((t) => Object.hasOwn(vocab, t)).map((t) => ({ id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]', 0)],
      pair: [special('[CLS]', 0), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]', 0), { Sequence: { id: 'B', type_id: 1 } }, special('[SEP]', 1)],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [vocab[t]], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}
