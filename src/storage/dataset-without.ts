// Forget, the new version: the dataset minus the removed records, written as its own dataset whose lineage lists the removed ids (worker side).
import { ForgetRequestError } from '../engine/errors';
import { forgottenStrings, rowTexts } from '../engine/privacy/forget-select';
import { partitionRows } from './dataset-forget';
import { rowRecord } from './dataset-rows';
import { DatasetWriter } from './dataset-writer';
import { datasetRowChunks, loadDataset } from './datasets';
import type { DatasetRecord, DatasetRow } from '../contract';

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
