// Fast path for character-level tokenizer.json files (BPE, single-character vocab, no merges): a lookup per character.

import { TokenizerError } from '../errors';
import type { TokenizerJson } from './char-tokenizer-json';
import { chatTemplateOf, resolveSpecialRoles, type TokenizerConfigJson } from './special-roles';
import type { DecodeOptions, EncodeOptions, Tokenizer } from './tokenizer';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `json` is a character-level tokenizer our fast path reproduces exactly. */
export function isCharTokenizerJson(json: TokenizerJson): boolean {
  const model = json.model;
  if (!model || model.type !== 'BPE') return false;
  if (!Array.isArray(model.merges) || model.merges.length > 0) return false;
  if (json.normalizer || json.pre_tokenizer || json.post_processor) return false;
  const decoder = json.decoder as { type?: string } | null | undefined;
  if (decoder && decoder.type !== 'Fuse') return false;
  if (model.continuing_subword_prefix || model.end_of_word_suffix || model.byte_fallback || model.dropout) return false;
  if (!model.vocab || typeof model.vocab !== 'object') return false;
  const added = new Set((json.added_tokens ?? []).map((t) => t.content));
  for (const token of Object.keys(model.vocab as Record<string, number>)) {
    if (!added.has(token) && [...token].length !== 1) return false;
  }
  return true;
}

export class CharTokenizer implements Tokenizer {
  readonly kind = 'char' as const;
  readonly vocabSize: number;
  readonly bosId?: number;
  readonly eosId?: number;
  readonly padId?: number;
  readonly unkId?: number;
  readonly addBosToken: boolean;
  readonly specialTokens: ReadonlyMap<string, number>;
  readonly chatTemplate?: string;
  private readonly idByToken = new Map<string, number>();
  private readonly tokenById: string[] = [];
  private readonly addedTokenPattern: RegExp | null;
  private readonly specialIds: Set<number>;

  constructor(json: TokenizerJson, config: TokenizerConfigJson = {}) {
    if (!isCharTokenizerJson(json)) {
      throw new TokenizerError(
        'This tokenizer.json is not a character-level tokenizer (BPE with single-character vocab and no merges).',
        'Load it with loadTokenizer(), which picks the right implementation.',
      );
    }
    const vocab = json.model.vocab as Record<string, number>;
    const addedTokens = json.added_tokens ?? [];
    for (const [token, id] of Object.entries(vocab)) this.setToken(token, id);
    for (const added of addedTokens) this.setToken(added.content, added.id);
    this.vocabSize = this.tokenById.length;
    this.specialTokens = new Map(addedTokens.filter((t) => t.special).map((t) => [t.content, t.id]));
    this.specialIds = new Set(this.specialTokens.values());
    const byLength = addedTokens.map((t) => t.content).sort((a, b) => b.length - a.length);
    this.addedTokenPattern = byLength.length ? new RegExp(byLength.map(escapeRegExp).join('|'), 'g') : null;
    const roles = resolveSpecialRoles((t) => this.idByToken.get(t), this.specialTokens, config);
    const unkToken = json.model.unk_token;
    const unkId = typeof unkToken === 'string' ? this.idByToken.get(unkToken) : undefined;
    this.bosId = roles.bosId;
    this.eosId = roles.eosId;
    this.padId = roles.padId;
    this.unkId = unkId ?? roles.unkId;
    this.addBosToken = config.add_bos_token === true && this.bosId !== undefined;
    this.chatTemplate = chatTemplateOf(config);
  }

  private setToken(token: string, id: number): void {
    if (!Number.isInteger(id) || id < 0 || id > 16_777_216) {
      throw new TokenizerError(`tokenizer.json gives token "${token}" the invalid id ${id}.`, 'Ids must be integers ≥ 0; regenerate the file.');
    }
    this.idByToken.set(token, id);
    this.tokenById[id] = token;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    if (options.addSpecialTokens && this.addBosToken && this.bosId !== undefined) ids.push(this.bosId);
    let start = 0;
    if (this.addedTokenPattern) {
      this.addedTokenPattern.lastIndex = 0;
      for (let match = this.addedTokenPattern.exec(text); match; match = this.addedTokenPattern.exec(text)) {
        this.encodeChars(text.slice(start, match.index), ids);
        ids.push(this.idByToken.get(match[0]) as number);
        start = match.index + match[0].length;
      }
    }
    this.encodeChars(start === 0 ? text : text.slice(start), ids);
    return ids;
  }

  private encodeChars(text: string, ids: number[]): void {
    for (const char of text) {
      const id = this.idByToken.get(char) ?? this.unkId;
      if (id === undefined) {
        throw new TokenizerError(
          `The character "${char}" (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) is not in this character vocabulary, which has no <unk> token.`,
          'Remove the character from the data, or rebuild the tokenizer with it (or with an <unk> token).',
        );
      }
      ids.push(id);
    }
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    let text = '';
    for (const id of ids) {
      if (options.skipSpecialTokens && this.specialIds.has(id)) continue;
      const token = this.tokenById[id];
      if (token === undefined) {
        throw new TokenizerError(`Token id ${id} is outside this vocabulary of ${this.vocabSize}.`, 'Check that the model and tokenizer belong together.');
      }
      text += token;
    }
    return text;
  }

  idToToken(id: number): string | undefined {
    return this.tokenById[id];
  }

  tokenToId(token: string): number | undefined {
    return this.idByToken.get(token);
  }
}
