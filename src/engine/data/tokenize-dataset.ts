// Tokenizes many records for training, leaving out those with nothing to learn and counting truncations.

import { TuneLabError } from '../errors';
import type { Tokenizer } from '../tokenizers/tokenizer';
import type { TokenizedExample } from './example';
import type { BadLine, DatasetRecord } from './record';
import { tokenizeRecord, type TokenizeOptions } from './tokenize-record';

export interface TokenizedDataset {
  examples: TokenizedExample[];
  /** Examples cut to maxSeqLen (still kept when some trained tokens remain). */
  truncatedCount: number;
  /** Records left out, with the reason. */
  skipped: BadLine[];
  /** Sum of all weights: the number of trained target tokens. */
  trainedTokens: number;
}

export function tokenizeRecords(records: readonly DatasetRecord[], tokenizer: Tokenizer, options: TokenizeOptions): TokenizedDataset {
  const result: TokenizedDataset = { examples: [], truncatedCount: 0, skipped: [], trainedTokens: 0 };
  for (const record of records) {
    let example: TokenizedExample;
    try {
      example = tokenizeRecord(record, tokenizer, options);
    } catch (error) {
      if (!(error instanceof TuneLabError)) throw error;
      result.skipped.push({ line: record.line, reason: `line ${record.line}: ${error.message}` });
      continue;
    }
    const trained = example.weights.reduce((sum, w) => sum + w, 0);
    if (trained === 0) {
      const learnableWhenLonger = example.truncated && tokenizeRecord(record, tokenizer, { ...options, maxSeqLen: Infinity }).weights.some((w) => w > 0);
      const reason = learnableWhenLonger
        ? `the prompt fills all ${options.maxSeqLen} tokens, so no completion token is left to learn; shorten it or raise the sequence length`
        : 'has no tokens to learn from (every message has weight 0 or none is from a trained role)';
      result.skipped.push({ line: record.line, reason: `line ${record.line}: ${reason}` });
      continue;
    }
    if (example.truncated) result.truncatedCount++;
    result.trainedTokens += trained;
    result.examples.push(example);
  }
  return result;
}
