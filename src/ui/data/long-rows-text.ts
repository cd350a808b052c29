// The sentence that counts a dataset's rows longer than a model's context, in the same words on the Data and Train pages.
import { countLongRows, type LongRowCount } from '../../engine/data/long-rows';
import type { DatasetRecord, TinyModelSpec } from '../../contract';
import { formatCount } from '../format';

export interface LongRows extends LongRowCount {
  context: number;
  sentence: string;
}

/**
 * Null when no row is longer than the model's context (or the dataset has no lengths). `inTokens`: a loaded model's
 * count in its own tokens (TokenLongRows), used instead of the dataset's character count once known.
 */
export function longRowsOf(dataset: Pick<DatasetRecord, 'stats'>, model: TinyModelSpec, inTokens: LongRowCount | null = null): LongRows | null {
  const context = model.n_positions;
  const byTokenizer = model.kind === 'loaded' && inTokens !== null;
  const count = byTokenizer ? inTokens : countLongRows(dataset.stats.summary.tokenLengths, context);
  if (!count || count.rows === 0) return null;
  const rows = count.exact ? `${formatCount(count.rows)} ${count.rows === 1 ? 'row exceeds' : 'rows exceed'}` : 'Some rows exceed';
  // Lengths are counted with the dataset's char tokenizer: exact for the char-level models, an upper bound for a loaded one.
  const counted = byTokenizer
    ? ' (counted with its own tokenizer, as training encodes them)'
    : model.kind === 'loaded'
      ? ' (counted in characters; its own tokenizer makes rows shorter, so fewer may be too long)'
      : '';
  // The short name ("Nano GPT-2"), as run names use it: the long one has its own parentheses.
  const sentence = `${rows} the context of ${model.name.split(' (')[0]} (${formatCount(context)} tokens); the longest has ${formatCount(count.longest)} tokens${counted}.`;
  return { ...count, context, sentence };
}
