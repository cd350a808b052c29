// Writes the Hugging Face tokenizer.json of a character-level tokenizer (BPE over single characters, no merges).

/** Special tokens of a character tokenizer, placed first so their ids are stable: <pad>=0, <eos>=1, <unk>=2. */
export const DEFAULT_CHAR_SPECIAL_TOKENS: readonly string[] = ['<pad>', '<eos>', '<unk>'];

export interface CharTokenizerJsonOptions {
  /** Default DEFAULT_CHAR_SPECIAL_TOKENS. Names containing 'pad', 'eos'/'</s>', 'bos'/'<s>', 'unk' get those roles. */
  specialTokens?: readonly string[];
}

/** Minimal typed view of the parts of tokenizer.json that we write and read. */
export interface TokenizerJson {
  version?: string;
  added_tokens?: { id: number; content: string; special?: boolean; [key: string]: unknown }[];
  normalizer?: unknown;
  pre_tokenizer?: unknown;
  post_processor?: unknown;
  decoder?: unknown;
  model: { type?: string; vocab?: unknown; merges?: unknown; unk_token?: string | null; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * Builds a tokenizer.json for `chars` (each one Unicode code point; duplicates are dropped, order kept).
 * Ids: special tokens 0..k-1, then the characters in the given order. The Fuse decoder joins characters
 * without spaces, so the file decodes the same in Hugging Face tokenizers (Rust, Python, JS) as in our fast path.
 */
export function buildCharTokenizerJson(chars: readonly string[], options: CharTokenizerJsonOptions = {}): TokenizerJson {
  const specials = options.specialTokens ?? DEFAULT_CHAR_SPECIAL_TOKENS;
  const vocab: Record<string, number> = {};
  let next = 0;
  for (const token of specials) {
    if (token in vocab) throw new Error(`buildCharTokenizerJson: special token "${token}" is listed twice.`);
    vocab[token] = next++;
  }
  for (const char of chars) {
    if ([...char].length !== 1) {
      throw new Error(`buildCharTokenizerJson: "${char}" is not a single character; pass one code point per entry.`);
    }
    if (!(char in vocab)) vocab[char] = next++;
  }
  const unk = specials.find((t) => /unk/i.test(t)) ?? null;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content) => ({
      id: vocab[content],
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Fuse' },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: unk,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
}
