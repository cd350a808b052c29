// Any Hugging Face tokenizer.json (byte-level BPE such as GPT-2/Qwen, SentencePiece-style BPE such as Llama) via @huggingface/tokenizers.

import { Tokenizer as HfTokenizerImpl } from '@huggingface/tokenizers';
import { TokenizerError } from '../errors';
import type { TokenizerJson } from './char-tokenizer-json';
import { chatTemplateOf, resolveSpecialRoles, type TokenizerConfigJson } from './special-roles';
import type { DecodeOptions, EncodeOptions, Tokenizer } from './tokenizer';

export class HfTokenizer implements Tokenizer {
  readonly kind = 'hf' as const;
  readonly vocabSize: number;
  readonly bosId?: number;
  readonly eosId?: number;
  readonly padId?: number;
  readonly unkId?: number;
  readonly addBosToken: boolean;
  readonly specialTokens: ReadonlyMap<string, number>;
  readonly chatTemplate?: string;
  private readonly impl: HfTokenizerImpl;
  private readonly tokenById: string[] = [];

  constructor(json: TokenizerJson, config: TokenizerConfigJson = {}) {
    try {
      this.impl = new HfTokenizerImpl(json, config);
      this.impl.encode('Hello, world! 123', { add_special_tokens: true }); // fail here, not on first use
    } catch (error) {
      throw new TokenizerError(
        `Could not build the tokenizer from tokenizer.json: ${error instanceof Error ? error.message : String(error)}`,
        'Check that the file is a Hugging Face tokenizer.json (from the model repository, not a vocab.txt).',
      );
    }
    const vocab = this.impl.get_vocab(true);
    for (const [token, id] of vocab) this.tokenById[id] = token;
    this.vocabSize = this.tokenById.length;
    const special = new Map<string, number>();
    for (const [id, added] of this.impl.get_added_tokens_decoder()) if (added.special) special.set(added.content, id);
    this.specialTokens = special;
    const roles = resolveSpecialRoles((t) => this.impl.token_to_id(t), special, config);
    this.bosId = roles.bosId;
    this.eosId = roles.eosId;
    this.padId = roles.padId;
    this.unkId = roles.unkId;
    const addsBos = this.bosId !== undefined && this.impl.encode('a', { add_special_tokens: true }).ids[0] === this.bosId;
    this.addBosToken = this.bosId !== undefined && (config.add_bos_token ?? addsBos);
    this.chatTemplate = chatTemplateOf(config);
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    try {
      return this.impl.encode(text, { add_special_tokens: options.addSpecialTokens ?? false }).ids;
    } catch (error) {
      throw new TokenizerError(
        `The tokenizer failed on this text: ${error instanceof Error ? error.message : String(error)}`,
        'The tokenizer.json may be damaged or use a feature the browser tokenizer lacks; try the file from the model repository.',
      );
    }
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new TokenizerError(`Token id ${id} is outside this vocabulary of ${this.vocabSize}.`, 'Check that the model and tokenizer belong together.');
      }
    }
    if (ids.length === 0) return '';
    return this.impl.decode([...ids], { skip_special_tokens: options.skipSpecialTokens ?? false, clean_up_tokenization_spaces: false });
  }

  idToToken(id: number): string | undefined {
    return this.tokenById[id];
  }

  tokenToId(token: string): number | undefined {
    return this.impl.token_to_id(token);
  }
}
