// The Embedding gap preset's plan: recall@1 and nDCG@10 of a Tiny World base as an embedder, against the number of training pairs, base vs fine-tuned.
import { tinyWorldRetrievalTask, type RetrievalEvalSet, type TrainingPair } from '../../world/retrieval-task';

export interface EmbeddingGapSpec {
  /** A shipped Tiny World base (public/models/<base>). */
  base: string;
  /** Training pairs per cell (the x axis). */
  pairCounts: number[];
  seeds: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  rank: number;
  /** Test queries (eval role 'report'), the same for every cell so cells pair query by query. */
  testQueries: number;
}

export const DEFAULT_EMBEDDING_GAP: EmbeddingGapSpec = {
  base: 'tiny-world-400k',
  pairCounts: [8, 32, 128],
  seeds: 3,
  steps: 40,
  batchSize: 4,
  learningRate: 2e-3,
  rank: 8,
  testQueries: 200,
};

export interface EmbeddingGapCellPlan {
  pairs: number;
  seed: number;
}

/** Every cell: each pair count under each seed (seeds 1 … n). */
export function embeddingGapCells(spec: EmbeddingGapSpec): EmbeddingGapCellPlan[] {
  return spec.pairCounts.flatMap((pairs) => Array.from({ length: spec.seeds }, (_, i) => ({ pairs, seed: i + 1 })));
}

/** The fixed test set every cell is scored on (with the corpus). */
export function embeddingGapTestSet(spec: EmbeddingGapSpec): ReturnType<typeof tinyWorldRetrievalTask> {
  return tinyWorldRetrievalTask({ pairs: 0, validationQueries: 0, testQueries: spec.testQueries, seed: 1 });
}

/** A cell's training pairs: drawn from the train phrases with the cell's seed (never a test phrase, whatever the seed). */
export function embeddingGapPairs(cell: EmbeddingGapCellPlan): TrainingPair[] {
  return tinyWorldRetrievalTask({ pairs: cell.pairs, validationQueries: 0, testQueries: 0, seed: 1000 + cell.seed }).pairs;
}

export type { RetrievalEvalSet };
