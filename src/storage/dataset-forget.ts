// Forget, on the data: which rows of a stored dataset a request selects (the page reads this; the new version is dataset-without.ts).
import { ForgetRequestError } from '../engine/errors';
import { describeCriteria, rowMatcher, type ForgetCriteria } from '../engine/privacy/forget-select';
import { datasetRowChunks } from './datasets';
import type { DatasetRecord, DatasetRow } from '../contract';

export interface ForgetSelection {
  /** Rows matched (duplicates of a matched record count each). */
  rows: number;
  /** Distinct record ids matched: every row with one of these ids is removed (exact duplicates go together). */
  rowIds: string[];
  /** The first matched rows, for the preview. */
  preview: DatasetRow[];
  /** Matched rows by split: "train" ones were trained on. */
  splits: Record<DatasetRow['split'], number>;
}

/** Rows of `dataset` the request selects; a request matching nothing is refused with what to try instead. */
export async function selectRows(dataset: Pick<DatasetRecord, 'id' | 'name' | 'chunkRows'>, criteria: ForgetCriteria, previewLimit = 8): Promise<ForgetSelection> {
  const matches = rowMatcher(criteria);
  const ids = new Set<string>();
  const preview: DatasetRow[] = [];
  const splits = { train: 0, validation: 0, test: 0 };
  let rows = 0;
  for await (const chunk of datasetRowChunks(dataset)) {
    for (const row of chunk) {
      if (!matches(row)) continue;
      ids.add(row.id);
      rows++;
      splits[row.split]++;
      if (preview.length < previewLimit) preview.push(row);
    }
  }
  if (rows === 0) {
    throw new ForgetRequestError(`No record of “${dataset.name}” matches (${describeCriteria(criteria)}); nothing would be forgotten.`, 'Check the spelling, try a shorter search, or pick another way to select the records.');
  }
  return { rows, rowIds: [...ids], preview, splits };
}

/** Splits rows into the kept and the removed (a row is removed when its record id is listed). */
export function partitionRows<T extends { id: string }>(rows: readonly T[], removedIds: ReadonlySet<string>): { kept: T[]; removed: T[] } {
  const kept: T[] = [];
  const removed: T[] = [];
  for (const row of rows) (removedIds.has(row.id) ? removed : kept).push(row);
  return { kept, removed };
}
