// Saves a dataset as it streams in: rows in bounded chunk transactions while parsing goes on, the metadata record last.
// A failure, a quota error or a cancel leaves nothing behind: discard() deletes every chunk already written.
import { DatasetStorageError, TuneLabError } from '../engine/errors';
import type { DatasetRecord as SourceRecord } from '../engine/data/record';
import { ChunkBuilder, type ClosedChunk } from './dataset-chunks';
import { recordToRow } from './dataset-rows';
import { DatasetSummaryBuilder } from './dataset-summary';
import { datasetChunkRange } from './datasets';
import { openTuneLabDb } from './db';
import { guardQuota } from './quota';
import type { BadLine, DatasetRecord, DatasetRow } from '../contract';

export interface NewDataset {
  name: string;
  source: DatasetRecord['source'];
  format: DatasetRecord['format'];
  splitSeed: number;
}

export class DatasetWriter {
  readonly id = crypto.randomUUID();
  private readonly chunks = new ChunkBuilder();
  private readonly summary = new DatasetSummaryBuilder();
  private readonly chunkRows: number[] = [];
  private rowBytes = 0;
  private rowsSaved = 0;
  /** The chunk write under way: at most one is pending while the next chunk fills. */
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  /** `onSaved` hears the number of rows committed so far after each chunk. */
  constructor(
    private readonly info: NewDataset,
    private readonly onSaved?: (rowsSaved: number) => void,
  ) {}

  get rowCount(): number {
    return this.summary.rowCount;
  }

  /** Adds one parsed record; returns a promise (to await before parsing on) when a chunk had to wait for the previous write. */
  add(record: SourceRecord, split?: DatasetRow['split']): Promise<void> | undefined {
    const row = recordToRow(record, this.info.splitSeed);
    if (split) row.split = split; // canaries: always trained on, never held out
    this.summary.add(record, row);
    const chunk = this.chunks.push(row);
    return chunk ? this.write(chunk) : undefined;
  }

  private async write(chunk: ClosedChunk): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
    const index = this.chunkRows.length;
    this.chunkRows.push(chunk.rows.length);
    this.rowBytes += chunk.bytes;
    this.inFlight = this.put(index, chunk).catch((error: unknown) => {
      this.failure ??= this.named(error);
    });
  }

  private async put(index: number, chunk: ClosedChunk): Promise<void> {
    const db = await openTuneLabDb();
    await guardQuota(`dataset “${this.info.name}”`, async () => {
      const tx = db.transaction('datasetChunks', 'readwrite');
      await Promise.all([tx.store.put({ datasetId: this.id, index, rows: chunk.rows, bytes: chunk.bytes }), tx.done]);
    });
    this.rowsSaved += chunk.rows.length;
    this.onSaved?.(this.rowsSaved);
  }

  /** Quota errors stay StorageQuotaError; anything else the browser throws becomes a DatasetStorageError saying where. */
  private named(error: unknown): Error {
    if (error instanceof TuneLabError) return error;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new DatasetStorageError(
      `Saving the dataset “${this.info.name}” failed after ${this.rowsSaved} rows (${reason}); nothing was kept.`,
      'Try again; if it keeps failing, free space on the Storage page or split the file into smaller ones.',
    );
  }

  /** Writes the last chunk and then the metadata, which makes the dataset visible; returns the stored record. */
  async finish(badLineList: BadLine[], badLineCount: number, lineage: Pick<DatasetRecord, 'canaries' | 'parentId' | 'removedRowIds' | 'distilled' | 'preferenceLineage'> = {}): Promise<DatasetRecord> {
    const last = this.chunks.flush();
    if (last) await this.write(last);
    await this.inFlight;
    if (this.failure) throw this.failure;
    const record: DatasetRecord = {
      id: this.id,
      name: this.info.name,
      source: this.info.source,
      format: this.info.format,
      createdAt: Date.now(),
      splitSeed: this.info.splitSeed,
      badLineList,
      ...this.summary.finish(badLineCount),
      chunkRows: this.chunkRows,
      rowBytes: this.rowBytes,
      ...lineage,
    };
    const db = await openTuneLabDb();
    try {
      await guardQuota(`dataset “${this.info.name}”`, async () => {
        const tx = db.transaction(['datasets', 'datasetChunks'], 'readwrite');
        // Every chunk must still be there (another tab's start-up clean-up could have taken an unfinished import's).
        const stored = await tx.objectStore('datasetChunks').count(datasetChunkRange(this.id));
        if (stored !== this.chunkRows.length) {
          tx.done.catch(() => undefined);
          tx.abort();
          throw new DatasetStorageError(
            `Saving the dataset “${this.info.name}” failed: ${this.chunkRows.length - stored} of its ${this.chunkRows.length} row chunks disappeared while it was imported; nothing was kept.`,
            'Import it again, with TuneLab open in one tab only.',
          );
        }
        await Promise.all([tx.objectStore('datasets').put(record), tx.done]);
      });
    } catch (error) {
      throw this.named(error);
    }
    return record;
  }

  /** Deletes every chunk written so far (after a failure or a cancel). Never throws: the first error is what counts. */
  async discard(): Promise<void> {
    await this.inFlight;
    try {
      const tx = (await openTuneLabDb()).transaction('datasetChunks', 'readwrite');
      await Promise.all([tx.store.delete(datasetChunkRange(this.id)), tx.done]);
    } catch (error) {
      console.error(`TuneLab could not remove the partial dataset “${this.info.name}”; it is removed at the next start.`, error);
    }
  }
}
