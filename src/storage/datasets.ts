// Datasets: metadata records (listed and opened without rows) and their rows in chunks (read a page or chunk by chunk).
import { DatasetStorageError } from '../engine/errors';
import { chunkSpans } from './dataset-chunks';
import { openTuneLabDb } from './db';
import type { DatasetRecord, DatasetRow, DatasetSummary } from '../contract';

/** Every chunk key of one dataset: [id, 0] … [id, ∞]. */
export function datasetChunkRange(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id, 0], [id, Infinity]);
}

export async function listDatasets(): Promise<DatasetSummary[]> {
  const db = await openTuneLabDb();
  return (await db.getAllFromIndex('datasets', 'createdAt')).reverse();
}

/** The dataset's metadata (counts, stats, hash, chunk sizes) — never its rows. */
export async function loadDataset(id: string): Promise<DatasetRecord | undefined> {
  return (await openTuneLabDb()).get('datasets', id);
}

function missingChunk(dataset: Pick<DatasetRecord, 'name'>, index: number): DatasetStorageError {
  return new DatasetStorageError(
    `Rows of the dataset “${dataset.name}” are missing from browser storage (chunk ${index + 1}).`,
    'The browser may have evicted part of the data. Delete the dataset on the Storage page and import it again.',
  );
}

/** Rows [offset, offset + limit) in dataset order, reading only the chunks that hold them (one short transaction). */
export async function loadDatasetRows(dataset: Pick<DatasetRecord, 'id' | 'name' | 'chunkRows'>, offset: number, limit: number): Promise<DatasetRow[]> {
  const spans = chunkSpans(dataset.chunkRows, offset, limit);
  if (spans.length === 0) return [];
  const store = (await openTuneLabDb()).transaction('datasetChunks').store;
  const chunks = await Promise.all(spans.map((span) => store.get([dataset.id, span.index])));
  return spans.flatMap((span, i) => {
    const chunk = chunks[i];
    if (!chunk) throw missingChunk(dataset, span.index);
    return chunk.rows.slice(span.from, span.to);
  });
}

/**
 * The dataset's rows chunk by chunk, in order, each chunk read in its own transaction: a reader holds one chunk
 * (≤ ~2 MB) at a time and no transaction stays open while it works on the rows.
 */
export async function* datasetRowChunks(dataset: Pick<DatasetRecord, 'id' | 'name' | 'chunkRows'>): AsyncGenerator<DatasetRow[]> {
  const db = await openTuneLabDb();
  for (let index = 0; index < dataset.chunkRows.length; index++) {
    const chunk = await db.get('datasetChunks', [dataset.id, index]);
    if (!chunk) throw missingChunk(dataset, index);
    yield chunk.rows;
  }
}

/** Deletes the metadata and every chunk in one transaction (runs trained on the dataset stay; they record its hash). */
export async function deleteDataset(id: string): Promise<void> {
  const tx = (await openTuneLabDb()).transaction(['datasets', 'datasetChunks'], 'readwrite');
  await Promise.all([tx.objectStore('datasets').delete(id), tx.objectStore('datasetChunks').delete(datasetChunkRange(id)), tx.done]);
}

/**
 * Removes chunks that belong to no dataset: what an import left when its tab closed mid-way (a finished import writes
 * its metadata last, so such chunks were never visible). Call at start-up, before this tab starts an import.
 */
export async function deleteOrphanChunks(): Promise<number> {
  const db = await openTuneLabDb();
  const known = new Set(await db.getAllKeys('datasets'));
  const tx = db.transaction('datasetChunks', 'readwrite');
  let removed = 0;
  let cursor = await tx.store.openKeyCursor();
  while (cursor) {
    const [datasetId] = cursor.key;
    if (!known.has(datasetId)) {
      removed += await tx.store.count(datasetChunkRange(datasetId));
      await tx.store.delete(datasetChunkRange(datasetId));
    }
    // Jump past this dataset's chunks: one step per dataset, not per chunk.
    cursor = await cursor.continue([datasetId, Infinity]);
  }
  await tx.done;
  return removed;
}
