// A fine-tuning run's examples from its dataset's rows: the training split under the run's long-row choice, a validation sample.
import { LongRowsError } from '../../src/engine/errors';
import { fitToContext, type LongRowPolicy } from '../../src/engine/data/long-rows';
import type { TokenizedExample } from '../../src/engine/data/example';
import type { DatasetRow } from '../../src/contract';
import type { RunBase } from './base-model';

export interface RunExamples {
  train: TokenizedExample[];
  validation: TokenizedExample[];
  /** Training rows longer than the context (counted only when the policy needs their whole length: drop, split). */
  longRows: number;
}

/** Chunk by chunk: only the tokenized examples are kept, never the dataset's rows all at once. */
export async function runExamples(
  chunks: AsyncIterable<DatasetRow[]> | Iterable<DatasetRow[]>,
  base: Pick<RunBase, 'encode' | 'context'>,
  policy: LongRowPolicy,
  validationSample: number,
): Promise<RunExamples> {
  const result: RunExamples = { train: [], validation: [], longRows: 0 };
  for await (const rows of chunks) {
    for (const row of rows) {
      if (row.split === 'train') {
        // Truncation needs only the first `context` tokens; drop and split look at the whole row.
        const example = base.encode(row, policy === 'truncate' ? base.context : Infinity);
        if (example.rejected) {
          // A preference pair cannot be split into pieces: it is dropped, or both sides are cut to the context.
          const long = example.ids.length > base.context || example.rejected.ids.length > base.context;
          if (long) result.longRows++;
          if (!long || policy !== 'drop') result.train.push(long ? base.encode(row) : example);
          continue;
        }
        if (example.ids.length > base.context) result.longRows++;
        result.train.push(...fitToContext(example, base.context, policy));
      } else if (row.split === 'validation' && result.validation.length < validationSample) result.validation.push(base.encode(row));
    }
  }
  if (result.train.length === 0 && result.longRows > 0 && policy === 'drop') {
    throw new LongRowsError(
      `All ${result.longRows} training rows are longer than the model's context (${base.context} tokens), and this run drops long rows, so nothing is left to train on.`,
      'Start a new run that truncates or splits long rows, or shorten the rows and import the file again.',
    );
  }
  return result;
}
