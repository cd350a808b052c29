// Picks the tokenizer implementation for a tokenizer.json (+ optional tokenizer_config.json).

import { TokenizerError } from '../errors';
import { CharTokenizer, isCharTokenizerJson } from './char-tokenizer';
import type { TokenizerJson } from './char-tokenizer-json';
import { HfTokenizer } from './hf-tokenizer';
import type { TokenizerConfigJson } from './special-roles';
import type { Tokenizer } from './tokenizer';

/** Character-level files take the fast path; everything else goes through @huggingface/tokenizers. */
export function loadTokenizer(tokenizerJson: object, tokenizerConfig?: object): Tokenizer {
  const json = tokenizerJson as TokenizerJson;
  if (!json || typeof json !== 'object' || !json.model || typeof json.model !== 'object') {
    throw new TokenizerError(
      'This is not a Hugging Face tokenizer.json: it has no "model" section.',
      'Use the tokenizer.json file from the model repository.',
    );
  }
  if (tokenizerConfig !== undefined && (!tokenizerConfig || typeof tokenizerConfig !== 'object' || Array.isArray(tokenizerConfig))) {
    throw new TokenizerError('tokenizer_config.json is not a JSON object.', 'Use the tokenizer_config.json from the model repository, or leave it out.');
  }
  const config = (tokenizerConfig ?? {}) as TokenizerConfigJson;
  return isCharTokenizerJson(json) ? new CharTokenizer(json, config) : new HfTokenizer(json, config);
}
