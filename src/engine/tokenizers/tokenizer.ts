// The one tokenizer interface the engine, the data pipeline and the app use, whatever the implementation.

export interface EncodeOptions {
  /**
   * Add the special tokens the tokenizer's post-processor adds (e.g. Llama's BOS). Default false: the data
   * pipeline places BOS/EOS itself so prompt and completion can be weighted separately.
   */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Drop special tokens (pad, eos, chat markers) from the text. Default false. */
  skipSpecialTokens?: boolean;
}

export interface Tokenizer {
  /** Which implementation: 'char' (Tiny World fast path), 'hf' (@huggingface/tokenizers). */
  readonly kind: 'char' | 'hf';
  /** Number of ids, i.e. 1 + the largest id (added tokens included); the model's vocab_size may be larger. */
  readonly vocabSize: number;
  readonly bosId?: number;
  readonly eosId?: number;
  readonly padId?: number;
  readonly unkId?: number;
  /** Whether a sequence should start with BOS (tokenizer_config `add_bos_token`, or the post-processor's choice). */
  readonly addBosToken: boolean;
  /** Special tokens by their text, e.g. '<eos>' → 1. */
  readonly specialTokens: ReadonlyMap<string, number>;
  /** Jinja chat template from tokenizer_config.json, when one was given. */
  readonly chatTemplate?: string;
  encode(text: string, options?: EncodeOptions): number[];
  decode(ids: readonly number[], options?: DecodeOptions): string;
  idToToken(id: number): string | undefined;
  tokenToId(token: string): number | undefined;
}
