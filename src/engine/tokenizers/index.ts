// Public tokenizer API for the worker and the engine.
export type { Tokenizer, EncodeOptions, DecodeOptions } from './tokenizer';
export { loadTokenizer } from './load';
export { CharTokenizer, isCharTokenizerJson } from './char-tokenizer';
export { HfTokenizer } from './hf-tokenizer';
export { buildCharTokenizerJson, DEFAULT_CHAR_SPECIAL_TOKENS } from './char-tokenizer-json';
export type { TokenizerJson, CharTokenizerJsonOptions } from './char-tokenizer-json';
export type { TokenizerConfigJson, SpecialRoles } from './special-roles';
export { buildByteLevelBpeTokenizerJson, byteToUnicode } from './gpt2-tokenizer-json';
export type { ByteLevelBpeFiles } from './gpt2-tokenizer-json';
export { resolveSpecialRoles, chatTemplateOf } from './special-roles';
export { buildWordPieceTokenizerJson } from './wordpiece-tokenizer-json';
export type { WordPieceFiles } from './wordpiece-tokenizer-json';
