// Records TuneLab keeps in IndexedDB and passes between page and worker: datasets, runs (settings, status, metric series), checkpoints, adapters, model files.
import type { CellResult } from '../engine/experiments/types';

import type { DatasetStats as LayerStats } from '../engine/data/dataset-stats';
import type { PiiReport } from '../engine/data/pii-scan';
import type { CanaryLineage } from '../engine/privacy/canary-insert';
import type { ChatMessage, PreferenceRecord, RecordKind } from '../engine/data/record';
import type { SplitFractions, SplitName } from '../engine/data/splits';
import type { TrainHyperparameters } from '../engine/train/settings';
import type { RunRegression } from './regression-suite';
import type { UnlearningInfo } from './erasure';
import type { ProducerId } from '../engine/teacher/port';
import type { PreferenceLineage } from './jobs/judge-eval';
import type { RetrievalRunInfo } from './jobs/retrieval';

export type { SplitName } from '../engine/data/splits';
export type { TrainHyperparameters } from '../engine/train/settings';
export type { CanaryLineage, CanarySpec } from '../engine/privacy/canary-insert';

/**
 * One training example after import (schema v2): the data layer's record (prompt/completion, messages with their
 * per-message weights, or text) plus the flat prompt/completion the char-level trainer reads and its seeded split.
 */
export interface DatasetRow {
  /** recordId: the first 16 hex digits of sha-256 of the trained content; exact duplicates share it. */
  id: string;
  /** 1-based source line (JSONL) or row start line (CSV); generated rows are numbered 1…n. */
  line: number;
  split: SplitName;
  /** The data layer's record shape; rowRecord() (dataset-rows.ts) rebuilds the record exactly. */
  kind: RecordKind;
  /** For kind "messages": the turns with their per-message weights (prompt/completion are derived from them). */
  messages?: ChatMessage[];
  /** Text the model is conditioned on (no loss): the prompt, or the conversation before the last turn; empty for text. */
  prompt: string;
  /** Text the model learns to produce (loss is taken here); the text itself for kind "text". */
  completion: string;
  cohort?: string;
  tags?: string[];
  /** For kind "preference": the pair exactly as read (prompt/completion above are prompt + chosen, flattened). */
  preference?: Pick<PreferenceRecord, 'prompt' | 'chosen' | 'rejected'>;
  /** For kind "preference": the rejected answer flattened like `completion` (the char-level models' vocabulary). */
  rejected?: string;
}

export interface BadLine {
  line: number;
  reason: string;
}

export interface DatasetStats {
  rows: number;
  badLines: number;
  /** Records beyond the first in each group of records with the same normalised content. */
  duplicates: number;
  /** The data layer's stats: counts by shape and cohort, duplicate groups (source lines), token-length histogram. */
  summary: LayerStats;
  /** What tokenised the lengths, in words (e.g. "char tokenizer of this dataset, 41 symbols"). */
  tokenizer: string;
  pii: PiiReport;
  splits: Record<SplitName, number>;
  splitFractions: SplitFractions;
}

/**
 * A dataset's metadata (schema v3): everything the Data page shows, computed at import time. Its rows live apart,
 * in the datasetChunks store (DatasetChunk, keyed [datasetId, index]), so listing or opening a dataset never reads them.
 */
export interface DatasetRecord {
  id: string;
  name: string;
  source: 'file' | 'example' | 'hub';
  format: 'jsonl' | 'csv' | 'generated' | 'parquet';
  createdAt: number;
  /** datasetContentHash: order-independent sha-256 of the records, hex. */
  sha256: string;
  splitSeed: number;
  /** At most the first 200 bad lines are kept (with the total in stats.badLines). */
  badLineList: BadLine[];
  stats: DatasetStats;
  /** Rows in each stored chunk, in order: chunk i holds rows sum(chunkRows[0…i-1]) onwards. */
  chunkRows: number[];
  /** Approximate stored size of all the row chunks (serializedBytes of their rows). */
  rowBytes: number;
  /** Distinct characters of every row's prompt + completion, sorted: the vocabulary of seed-initialised char models. */
  chars: string[];
  /** Canaries inserted into this version (their rows are tagged "canary" and all in the train split); see parentId. */
  canaries?: CanaryLineage[];
  /** The dataset this version was made from (by inserting canaries): its rows plus the canaries' rows. */
  parentId?: string;
  /** Forget: the record ids removed from the parent (this version = the parent minus those records). */
  removedRowIds?: string[];
  /** Preference pairs the Evaluate page's judge (or its exact metric) graded: who judged, who answered, on which run. */
  preferenceLineage?: PreferenceLineage;
  /** Distillation: the rows are a teacher's answers; who produced each row. */
  distilled?: DistilledLineage;
}

/** Who wrote a distilled dataset's rows: every row's producer (model, revision or run, sampling, seed) and where its prompt came from. */
export interface DistilledLineage {
  /** The producers, each once (a row's own seed is in rowSeeds). */
  producers: ProducerId[];
  /** rowProducer[line − 1]: index in `producers` of the row on that line. */
  rowProducer: number[];
  /** rowSeeds[line − 1]: the seed that row was sampled with. */
  rowSeeds: number[];
  /** The prompt source in words (a dataset and split, or Tiny World items of a skill). */
  source: string;
  /** Saved from a cancelled or failed generation: `generated` of the source's `total` prompts have a row. */
  draft: boolean;
  generated: number;
  total: number;
  /** The dataset whose prompts were answered (absent for Tiny World items): Forget lists this copy with it. */
  sourceDatasetId?: string;
  sourceSha256?: string;
  /** rowSourceIds[line − 1]: the record id of the source row whose prompt that row answers. */
  rowSourceIds?: string[];
}

/** What lists and pickers show of a dataset: the record itself (it holds no rows since schema v3). */
export type DatasetSummary = DatasetRecord;

/** A run of consecutive rows of one dataset (at most ~2,000 rows or ~2 MB), written in its own transaction. */
export interface DatasetChunk {
  datasetId: string;
  /** 0-based position of the chunk in the dataset. */
  index: number;
  rows: DatasetRow[];
  /** Approximate stored size of the rows (serializedBytes, summed row by row). */
  bytes: number;
}

/** A base model built from a seed until shipped Tiny World weights land: a GPT-2-shaped transformer, char-level vocabulary. */
export interface TinyModelSpec {
  /**
   * 'tiny-gpt2': random weights from initSeed, char vocab of the dataset; 'tiny-world': a pretrained base under
   * public/models; 'loaded': the model loaded on the Models page (Hub or local files), identified by its weights' hash.
   */
  kind: 'tiny-gpt2' | 'tiny-world' | 'loaded';
  /** 'tiny-world': the folder under public/models/ (config.json, tokenizer.json, model.safetensors); 'loaded': the repo label. */
  baseId?: string;
  /** 'loaded': sha-256 of its weights, so resume/generate/evaluate refuse a different model. */
  weightsSha256?: string;
  /** 'loaded': config.json's model_type (gpt2, llama, qwen2, qwen3, gemma3_text), which decides the LoRA target module names. */
  modelType?: string;
  /** 'loaded': the real parameter count, and each linear module of one layer (PEFT short name, in, out) for LoRA sizes. */
  numParams?: number;
  linearModules?: { name: string; inFeatures: number; outFeatures: number }[];
  /** Pretrained bases: their tokenizer's vocabulary size (seeded models take the dataset's characters). */
  vocabSize?: number;
  name: string;
  n_embd: number;
  n_layer: number;
  n_head: number;
  n_positions: number;
  initSeed: number;
}

export type RunStatus = 'queued' | 'running' | 'paused' | 'interrupted' | 'completed' | 'cancelled' | 'diverged' | 'failed';

export interface MetricPoint {
  step: number;
  /** Wall-clock ms since the run first started, for time axes. */
  elapsedMs: number;
  trainLoss?: number;
  valLoss?: number;
  tokenAccuracy?: number;
  learningRate?: number;
  tokensPerSec?: number;
  /** Exact match per Tiny World skill (probe name → share in [0, 1]) on a small fixed sample; step 0 = the base. */
  probes?: Record<string, number>;
  /** Input tokens trained on since the run began, this step included. */
  tokensSeen?: number;
  /** WebGPU: the most GPU buffer bytes in use at once during this step (weights included), measured by the engine. */
  peakDeviceBytes?: number;
  /** DPO runs: this step's means as TRL logs them (rewards/chosen, rewards/rejected, rewards/accuracies, rewards/margins). */
  rewardChosen?: number;
  rewardRejected?: number;
  rewardAccuracy?: number;
  rewardMargin?: number;
}

/** A run that pretrains a Tiny World base from a seed on freshly generated mixture lines (it has no dataset). */
export interface PretrainRecipe {
  /** The size preset's name, e.g. "nano" or "800k". */
  preset: string;
  /** Initialises the weights and drives the data stream (hyper.seed is the same number). */
  seed: number;
  /** The local model (storage/local-models.ts) the finished weights are saved as. */
  modelId: string;
  /** The mixture the stream draws from, and the generator version, recorded verbatim. */
  mix: Record<string, number>;
  generator: string;
  /** Characters (= tokens) per packed sequence: the model's context. */
  seqLen: number;
}

export interface RunRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  datasetId: string;
  datasetName: string;
  model: TinyModelSpec;
  /** Characters of the char-level vocabulary, index = token id (fixed at run creation so checkpoints stay valid). */
  vocab: string[];
  hyper: TrainHyperparameters;
  status: RunStatus;
  step: number;
  lastCheckpointStep: number | null;
  metrics: MetricPoint[];
  /** What went wrong or why it stopped, in words for the user. */
  message?: string;
  /** Present when the run is a cell of an experiment sweep: its settings, seed and measured eval points. */
  experimentCell?: CellResult;
  /** Present when the run pretrains a base model (Models page) instead of fine-tuning one on a dataset. */
  pretrain?: PretrainRecipe;
  /** Present when the run is a PEFT adapter imported from files (its weights are in the adapters store, not a checkpoint). */
  imported?: ImportedAdapterInfo;
  /** Present when a regression suite was chosen for the run: its scores on the base and after training, compared. */
  regression?: RunRegression;
  /** Present when the run unlearns records of another run (Forget): the exact retrain or gradient ascent. */
  unlearning?: UnlearningInfo;
  /** Present when the run is a Retrieval page result (an embedder scored, or fine-tuned and compared): kept across reloads. */
  retrieval?: RetrievalRunInfo;
}

export interface ImportedAdapterInfo {
  /** The file(s) it came from, e.g. "adapter.zip". */
  source: string;
  /** Base the adapter names (lineage, or adapter_config's base_model_name_or_path), if any. */
  trainedOn: string | null;
  /** The tunelab_lineage.json it carried (TuneLab exports), kept for re-export. */
  lineage: unknown;
}

export interface CheckpointRecord {
  /** `${runId}@${step}` */
  id: string;
  runId: string;
  step: number;
  createdAt: number;
  bytes: number;
  /** The engine's checkpoint as plain structured-clonable data (typed arrays inside). */
  state: unknown;
}

export interface AdapterRecord {
  id: string;
  runId: string;
  name: string;
  createdAt: number;
  bytes: number;
  weights: Record<string, { shape: number[]; data: Float32Array }>;
}

/** One file of a model pretrained in this browser (storage/local-models.ts); a model is the files sharing a modelId. */
export interface ModelFileRecord {
  /** e.g. "pretrained-1a2b…/model.safetensors" */
  id: string;
  modelId: string;
  fileName: string;
  createdAt: number;
  bytes: number;
  data: ArrayBuffer;
}
