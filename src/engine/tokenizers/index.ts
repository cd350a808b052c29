// Public tokenizer API for the worker and the engine.
export type { Tokenizer, EncodeOptions, DecodeOptions } from './tokenizer';
export { loadTokenizer } from './load';
export { CharTokenizer, isCharTokenizerJson } from './char-tokenizer';
export { HfTokenizer } from './hf-tokenizer';
export { buildCharTokenizerJson, DEFAULT_CHAR_SPECIAL_TOKENS } from './char-tokenizer-json';
export type { TokenizerJson, CharTokenizerJsonOptions } from './char-tokenizer-json';
export type { TokenizerConfigJson, SpecialRoles } from './special-roles';
