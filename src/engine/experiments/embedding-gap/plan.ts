// The Embedding gap preset's data: a Tiny World base as an embedder scored on fixed test tickets, fine-tuned on a cell's seeded ticket → page pairs.
import { DatasetParseError } from '../../errors';
import { tinyWorldRetrievalTask, type RetrievalTask, type TrainingPair } from '../../world/retrieval-task';
import { ROUTE_TEAMS } from '../../world/tickets';
import type { CellSettings } from '../types';

/**
 * What makes a sweep an Embedding gap sweep (ExperimentSpec.embeddingGap): how the causal LM pools its hidden states
 * into an embedding. The rest is the spec's: trainSize = training pairs per cell (the x axis), steps, batchSize (pairs
 * per step: in-batch negatives), lr, rank (0 = full fine-tuning), evalItems = test tickets, the same for every cell.
 */
export interface EmbeddingGapOptions {
  pooling: 'mean' | 'last';
}

/** recall@1 by chance: one relevant page among the team pages. */
export const EMBEDDING_GAP_CHANCE = 1 / ROUTE_TEAMS.length;

/** The fixed test set every cell is scored on (with the corpus): the tickets of eval role 'report'. */
export function embeddingGapTestSet(testQueries: number): RetrievalTask {
  return tinyWorldRetrievalTask({ pairs: 0, validationQueries: 0, testQueries, seed: 1 });
}

/** A cell's training pairs: drawn from the train phrases with the cell's seed (never a test phrase, whatever the seed). */
export function embeddingGapPairs(pairs: number, seed: number): TrainingPair[] {
  return tinyWorldRetrievalTask({ pairs, validationQueries: 0, testQueries: 0, seed: 1000 + seed }).pairs;
}

/** Refuses, before anything trains, a cell the contrastive trainer cannot run (in-batch negatives need two pairs a batch). */
export function checkEmbeddingGapCell(settings: CellSettings): void {
  if (settings.trainSize < 2) throw new DatasetParseError(`An Embedding gap run needs at least 2 training pairs (in-batch negatives); one is set to ${settings.trainSize}.`, 'Use 2 or more pairs per run.');
  if (settings.batchSize < 2) throw new DatasetParseError('A batch of 1 pair has no in-batch negatives, so the ranking loss is 0.', 'Use a batch size of 2 or more.');
}
