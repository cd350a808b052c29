// Retrieval job: contrastive fine-tuning of a model used as an embedder, scored by exact search before and after (types only).
import type { Score } from '../../engine/eval/types';
import type { Estimate } from '../../engine/experiments/resample';
import type { MetricName, QueryMetrics } from '../../engine/embed/retrieval-metrics';
import type { RetrievalDocument, RetrievalEvalSet, RetrievalQuery, TrainingPair } from '../../engine/world/retrieval-task';

/**
 * Which model embeds: a shipped Tiny World base by folder, the causal LM loaded on the Models page, or a
 * sentence-transformers BERT encoder from local files (its folder: config, tokenizer, weights, modules.json, 1_Pooling/…).
 */
export type EmbedderChoice = { kind: 'shipped'; id: string } | { kind: 'loaded' } | { kind: 'encoder-files'; files: File[]; name?: string };

export interface RetrievalHyper {
  method: 'lora' | 'full';
  rank: number;
  learningRate: number;
  steps: number;
  batchSize: number;
  /** The ranking loss's scale (sentence-transformers' default 20). */
  scale: number;
  symmetric: boolean;
  /** Causal LMs only: an encoder pools as its sentence-transformers files say. */
  pooling: 'mean' | 'last';
  /** Validation recall@1 / nDCG@10 every this many steps (0: only before and after). */
  evalEvery: number;
  seed: number;
}

/** Queries and qrels as plain arrays (structured-clone friendly): [query id, doc id, grade]. */
export interface RetrievalEvalData {
  queries: RetrievalQuery[];
  qrels: [string, string, number][];
}

export interface RetrievalJobInput {
  model: EmbedderChoice;
  corpus: RetrievalDocument[];
  pairs: TrainingPair[];
  validation: RetrievalEvalData;
  test: RetrievalEvalData;
  hyper: RetrievalHyper;
}

export interface RetrievalCurvePoint {
  step: number;
  loss?: number;
  recallAt1?: number;
  ndcgAt10?: number;
}

export interface RetrievalProgress {
  phase: 'base' | 'train' | 'tuned';
  step: number;
  totalSteps: number;
  etaSec: number | null;
  /** Points measured since the last event. */
  points: RetrievalCurvePoint[];
}

/** One test query under both models: its metrics and the rank of its first relevant document (null: not retrieved). */
export interface QueryComparison {
  id: string;
  text: string;
  baseRank: number | null;
  tunedRank: number | null;
  baseTop: string;
  tunedTop: string;
}

export interface RetrievalSide {
  scores: Record<MetricName, Score>;
  perQuery: QueryMetrics[];
}

export interface RetrievalResult {
  status: 'completed' | 'cancelled';
  steps: number;
  queries: number;
  /** Queries dropped because their qrels hold no relevant document. */
  droppedQueries: number;
  base: RetrievalSide;
  /** Null when cancelled before any step. */
  tuned: RetrievalSide | null;
  /** Tuned minus base per metric, paired by query, with 95% intervals. */
  differences: Record<MetricName, Estimate> | null;
  comparisons: QueryComparison[];
  curve: RetrievalCurvePoint[];
  seconds: number;
}

/**
 * A Retrieval page result as it is stored (RunRecord.retrieval): the model and data in words, the settings and the whole
 * result (scores, per-query metrics, the rank comparisons, the validation curve), so the page shows it after a reload.
 */
export interface RetrievalRunInfo {
  /** The embedder in words: a Tiny World base's folder, the loaded model's name, or the encoder folder's name. */
  model: string;
  modelKind: EmbedderChoice['kind'];
  /** Where the pairs and evaluation set came from, in words (the page's data line). */
  source: string;
  /** Documents in the corpus searched (the rank-change table's "not retrieved" bound). */
  corpusSize: number;
  hyper: RetrievalHyper;
  result: RetrievalResult;
}

export type { RetrievalEvalSet };
