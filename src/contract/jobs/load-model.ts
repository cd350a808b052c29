// Model loading job (Hub or local files): what to load, download/build progress, what was loaded.
import type { DownloadProgress } from '../../engine/hub/download';
import type { LoadedCheckpoint } from '../../engine/hub/load';
import type { GpuFitReport } from '../../engine/hub/memory-fit';

export type LoadModelInput =
  | { kind: 'hub'; repo: string; revision?: string; endpoint?: string }
  | { kind: 'files'; files: File[]; name?: string };

export interface LoadModelProgress extends DownloadProgress {
  stage: 'download' | 'build';
}

export interface LoadModelSummary {
  label: string;
  modelType: string;
  numParams: number;
  vocabSize: number;
  layers: number;
  hidden: number;
  contextLength: number;
  dtypes: string[];
  files: { name: string; bytes: number }[];
  /** Files that came over the network this time (the rest came from the cache). */
  downloaded: string[];
  identity: LoadedCheckpoint['identity'];
  hasChatTemplate: boolean;
  /** Against the backend's buffer limits at batch 1; null on backends without limits (CPU, WASM). */
  fit: GpuFitReport | null;
  /** The linear modules of one layer by PEFT short name (LoRA size estimates). */
  linearModules: { name: string; inFeatures: number; outFeatures: number }[];
  /** Embedding tables split into row chunks because one buffer could not hold them. */
  splitTables: { name: string; shape: number[]; chunks: number; limitBytes: number }[];
}
