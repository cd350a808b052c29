// Forget, on the data: which rows of a stored dataset a request selects, and the new version without them (its lineage lists the removed ids).
import { ForgetRequestError } from '../engine/errors';
import { describeCriteria, forgottenStrings, rowMatcher, rowTexts, type ForgetCriteria } from '../engine/privacy/forget-select';
import { rowRecord } from './dataset-rows';
import { DatasetWriter } from './dataset-writer';
import { datasetRowChunks, loadDataset } from './datasets';
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

export interface DatasetWithout {
  record: DatasetRecord;
  /** Every text of the removed rows that no kept row holds: what a storage scan must not find afterwards. */
  forgotten: string[];
  /** Texts of removed rows that kept rows also hold. */
  alsoKept: number;
}

/**
 * Writes "<name> − N forgotten" as a new dataset: the parent's rows except those with a removed id, in order, with the
 * parent's splits and its canaries minus the removed ones; its lineage names the parent and lists the removed ids.
 * The parent is left untouched (deleting it is a separate, journaled step).
 */
export async function writeDatasetWithout(parentId: string, removedRowIds: readonly string[]): Promise<DatasetWithout> {
  const parent = await loadDataset(parentId);
  if (!parent) throw new ForgetRequestError('The dataset to forget records of was deleted.', 'Pick another dataset on the Data page.');
  const removedIds = new Set(removedRowIds);
  const writer = new DatasetWriter({ name: `${parent.name} − ${removedIds.size} forgotten`, source: parent.source, format: parent.format, splitSeed: parent.splitSeed });
  const keptTexts = new Set<string>();
  const removed: DatasetRow[] = [];
  try {
    for await (const chunk of datasetRowChunks(parent)) {
      const part = partitionRows(chunk, removedIds);
      removed.push(...part.removed);
      for (const row of part.kept) {
        for (const text of rowTexts(row)) keptTexts.add(text);
        await writer.add(rowRecord(row), row.split);
      }
    }
    if (removed.length === 0) throw new ForgetRequestError(`None of the ${removedIds.size} records is in “${parent.name}”.`, 'Select the records again: the dataset may have changed.');
    if (writer.rowCount === 0) throw new ForgetRequestError(`Forgetting these records would leave “${parent.name}” empty, so there is nothing to retrain on.`, 'Delete the whole dataset on the Storage page instead, or forget fewer records.');
    const canaries = parent.canaries?.filter((c) => !removedIds.has(c.id));
    const record = await writer.finish(parent.badLineList, parent.stats.badLines, { parentId: parent.id, removedRowIds: [...removedIds], ...(canaries?.length && { canaries }) });
    const { strings, alsoKept } = forgottenStrings(removed, keptTexts);
    return { record, forgotten: strings, alsoKept };
  } catch (error) {
    await writer.discard();
    throw error;
  }
}
