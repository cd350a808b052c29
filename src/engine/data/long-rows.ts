// Rows longer than the model's context: how many a dataset has (from its length counts), and what training does with them.
import type { LengthHistogram } from './dataset-stats';
import type { TokenizedExample } from './example';

/**
 * What training does with a row longer than the context: 'truncate' keeps its first tokens (the tail is never
 * seen), 'drop' leaves it out, 'split' keeps all of it as consecutive context-length pieces.
 */
export type LongRowPolicy = 'truncate' | 'drop' | 'split';

export const LONG_ROW_POLICIES: readonly LongRowPolicy[] = ['truncate', 'drop', 'split'];

export interface LongRowCount {
  /** Rows longer than the context (a lower bound when `exact` is false). */
  rows: number;
  /** False for datasets imported before lengths were counted: then only "some" (or none) is known. */
  exact: boolean;
  /** The longest row's length. */
  longest: number;
}

/** Rows of more than `context` tokens, from the dataset's token-length histogram; null when the dataset has no lengths. */
export function countLongRows(lengths: LengthHistogram | undefined, context: number): LongRowCount | null {
  if (!lengths) return null;
  if (lengths.lengthCounts) {
    let rows = 0;
    for (let i = lengths.lengthCounts.length - 1; i >= 0 && lengths.lengthCounts[i][0] > context; i--) rows += lengths.lengthCounts[i][1];
    return { rows, exact: true, longest: lengths.max };
  }
  // Older datasets: the histogram's bins only say whether any row is longer (at least one: the longest).
  return { rows: lengths.max > context ? 1 : 0, exact: lengths.max <= context, longest: lengths.max };
}

/**
 * The training examples for one example of any length under `policy`, each at most `context` tokens. A piece of a split
 * row predicts nothing at its first token (nothing before it in the piece), and pieces with nothing to learn are left out.
 */
export function fitToContext(example: TokenizedExample, context: number, policy: LongRowPolicy): TokenizedExample[] {
  if (example.ids.length <= context) return [example];
  if (policy === 'drop') return [];
  const pieces: TokenizedExample[] = [];
  const starts = policy === 'truncate' ? [0] : Array.from({ length: Math.ceil(example.ids.length / context) }, (_, k) => k * context);
  for (const start of starts) {
    const ids = example.ids.slice(start, start + context);
    const weights = example.weights.slice(start, start + context);
    weights[0] = 0;
    if (policy === 'split' && (ids.length < 2 || !weights.some((w) => w > 0))) continue;
    pieces.push({ ...example, ids, weights, truncated: true });
  }
  return pieces;
}

/**
 * Rows longer than `context` counted with an exact length (a loaded model's own tokenizer, as training encodes them),
 * read chunk by chunk so a large dataset is never held whole. Yields to the event loop between chunks.
 */
export async function countLongRowsBy<T>(
  chunks: AsyncIterable<readonly T[]> | Iterable<readonly T[]>,
  lengthOf: (row: T) => number,
  context: number,
  signal?: AbortSignal,
): Promise<LongRowCount> {
  let rows = 0;
  let longest = 0;
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    for (const row of chunk) {
      const length = lengthOf(row);
      if (length > context) rows++;
      if (length > longest) longest = length;
    }
  }
  return { rows, exact: true, longest };
}
