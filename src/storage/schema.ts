// The IndexedDB schema (idb's DBSchema typing): one store per record kind, with the indexes queries need.
import type { DBSchema } from 'idb';
import type { AdapterRecord, CheckpointRecord, DatasetRecord, ModelFileRecord, RunRecord } from './types';

export const DB_NAME = 'tunelab';
/** Bump when the schema changes, and add a step to migrations.ts. */
export const DB_VERSION = 2;

export interface TuneLabDb extends DBSchema {
  datasets: { key: string; value: DatasetRecord; indexes: { createdAt: number } };
  runs: { key: string; value: RunRecord; indexes: { createdAt: number; datasetId: string } };
  checkpoints: { key: string; value: CheckpointRecord; indexes: { runId: string } };
  adapters: { key: string; value: AdapterRecord; indexes: { runId: string } };
  models: { key: string; value: ModelFileRecord; indexes: { modelId: string } };
}

export type StoreName = 'datasets' | 'runs' | 'checkpoints' | 'adapters' | 'models';
export const STORE_NAMES: StoreName[] = ['datasets', 'runs', 'checkpoints', 'adapters', 'models'];
