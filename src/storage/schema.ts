// The IndexedDB schema (idb's DBSchema typing): one store per record kind, with the indexes queries need.
import type { DBSchema } from 'idb';
import type { AdapterRecord, CheckpointRecord, DatasetChunk, DatasetRecord, DistillDraftRecord, ErasureRecord, ModelFileRecord, RunRecord } from '../contract';
import type { RegressionSuiteSpec } from '../contract/regression-suite';

export const DB_NAME = 'tunelab';
/** Bump when the schema changes, and add a step to migrations.ts. */
export const DB_VERSION = 6;

export interface TuneLabDb extends DBSchema {
  /** Dataset metadata only (schema v3); the rows are in datasetChunks. */
  datasets: { key: string; value: DatasetRecord; indexes: { createdAt: number } };
  /** Dataset rows in chunks, keyed [datasetId, index]: one key range holds a whole dataset, in order. */
  datasetChunks: { key: [string, number]; value: DatasetChunk };
  runs: { key: string; value: RunRecord; indexes: { createdAt: number; datasetId: string } };
  checkpoints: { key: string; value: CheckpointRecord; indexes: { runId: string } };
  adapters: { key: string; value: AdapterRecord; indexes: { runId: string } };
  models: { key: string; value: ModelFileRecord; indexes: { modelId: string } };
  /** Regression suites the user built (schema v4): items inline, a few kB each. */
  regressionSuites: { key: string; value: RegressionSuiteSpec; indexes: { createdAt: number } };
  /** Erasures (schema v5): the journal of one in progress (resumed at load) or the report of one done. */
  erasures: { key: string; value: ErasureRecord; indexes: { createdAt: number } };
  /** Unsaved distillation generations (schema v6): a cancelled or failed one, kept until saved as a dataset or deleted. */
  distillDrafts: { key: string; value: DistillDraftRecord; indexes: { createdAt: number } };
}

/** Stores whose items the Storage page lists (a dataset's chunks are listed, sized and deleted with the dataset). */
export type StoreName = 'datasets' | 'runs' | 'checkpoints' | 'adapters' | 'models';
export const STORE_NAMES: StoreName[] = ['datasets', 'runs', 'checkpoints', 'adapters', 'models'];
