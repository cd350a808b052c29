// A new dataset version with canaries: the parent's rows as they are, plus each canary's rows (train split), listed in its lineage.
import { buildCanaries, type CanarySpec } from '../engine/privacy/canary-insert';
import { DatasetStorageError } from '../engine/errors';
import { rowRecord } from './dataset-rows';
import { DatasetWriter } from './dataset-writer';
import { datasetRowChunks, loadDataset } from './datasets';
import type { DatasetRecord } from '../contract';

/**
 * Writes "<name> + canaries" as a new dataset (its own id and content hash) and leaves the parent untouched, so a user's
 * rows are never silently mixed with canaries: the new version names its parent and lists every canary and secret.
 */
export async function insertCanaries(parentId: string, specs: readonly CanarySpec[]): Promise<DatasetRecord> {
  const parent = await loadDataset(parentId);
  if (!parent) throw new DatasetStorageError('The dataset to insert canaries into was deleted.', 'Pick another dataset on the Data page.');
  const rows = parent.stats.rows;
  const { canaries, records } = buildCanaries([...(parent.canaries ?? []).map((c) => ({ template: c.template, repetitions: c.repetitions, seed: c.seed })), ...specs], rows + 1);
  const inherited = parent.canaries?.length ?? 0;
  const writer = new DatasetWriter({ name: `${parent.name} + canaries`, source: parent.source, format: parent.format, splitSeed: parent.splitSeed });
  try {
    for await (const chunk of datasetRowChunks(parent)) {
      for (const row of chunk) {
        if (inherited && row.tags?.includes('canary')) continue; // the parent's own canaries are written again below, once
        await writer.add(rowRecord(row), row.split);
      }
    }
    for (const record of records) await writer.add(record, 'train');
    return await writer.finish(parent.badLineList, parent.stats.badLines, { canaries, parentId: parent.id });
  } catch (error) {
    await writer.discard();
    throw error;
  }
}
