// Builds a GPT-2-style byte-level BPE tokenizer.json from vocab.json + merges.txt (repos that ship no tokenizer.json).

import { TokenizerError } from '../errors';
import type { TokenizerJson } from './char-tokenizer-json';

let byteToUnicodeTable: string[] | null = null;

/** GPT-2's reversible map from bytes to printable characters (bytes_to_unicode in openai/gpt-2 encoder.py). */
export function byteToUnicode(): readonly string[] {
  if (!byteToUnicodeTable) {
    const table: string[] = new Array(256);
    const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    let extra = 0;
    for (let b = 0; b < 256; b++) table[b] = String.fromCharCode(printable(b) ? b : 256 + extra++);
    byteToUnicodeTable = table;
  }
  return byteToUnicodeTable;
}

export interface ByteLevelBpeFiles {
  /** vocab.json: token (byte-level unicode string) → id. */
  vocab: Record<string, number>;
  /** merges.txt lines "a b" in priority order (a "#version" header line is skipped), or [a, b] pairs. */
  merges: readonly (string | readonly [string, string])[];
  /** Special tokens present in the vocab; default ['<|endoftext|>']. */
  specialTokens?: readonly string[];
}

/** tokenizer.json equivalent to Hugging Face's GPT2TokenizerFast built from the same vocab and merges. */
export function buildByteLevelBpeTokenizerJson(files: ByteLevelBpeFiles): TokenizerJson {
  const specials = files.specialTokens ?? ['<|endoftext|>'];
  const merges: string[] = [];
  for (const merge of files.merges) {
    const line = typeof merge === 'string' ? merge : `${merge[0]} ${merge[1]}`;
    if (line.startsWith('#version') || line.trim() === '') continue;
    if (line.split(' ').length !== 2) throw new TokenizerError(`merges.txt has a malformed line: "${line}".`, 'Each line must hold two tokens separated by one space.');
    merges.push(line);
  }
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content) => {
      const id = files.vocab[content];
      if (id === undefined) throw new TokenizerError(`Special token "${content}" is not in vocab.json.`, 'Pass the special tokens the vocabulary defines.');
      return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true };
    }),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab: files.vocab,
      merges,
    },
  };
}
