// Scores an embedder on a retrieval eval set: index the corpus, search every query exactly, and compute each query's metrics and first relevant rank.
import type { LoraBranches } from '../models/forward-context';
import type { Embedder } from './embedder';
import { CorpusIndex, embedTexts, type SearchLimits } from './exact-search';
import type { Similarity } from './ranking-loss';
import { firstRelevantRank, queryMetrics, type Qrels, type QueryMetrics } from './retrieval-metrics';

export interface RetrievalEvalInput {
  corpus: readonly { _id: string; title?: string; text: string }[];
  queries: readonly { _id: string; text: string }[];
  qrels: Qrels;
}

export interface QueryOutcome {
  id: string;
  metrics: QueryMetrics;
  /** 1-based rank of the first relevant document among the retrieved (Infinity when none is in the top `depth`). */
  rank: number;
  /** The best-ranked document's id. */
  top: string;
}

export interface RetrievalEvalOptions extends SearchLimits {
  similarity?: Similarity;
  batchSize?: number;
  lora?: LoraBranches | null;
  /** Documents retrieved per query (default 100, at most the corpus). */
  depth?: number;
}

/** BEIR's document text: title and text joined by a space when there is a title. */
export function documentText(d: { title?: string; text: string }): string {
  return d.title ? `${d.title} ${d.text}` : d.text;
}

/** Every query's metrics and rank, in the order of `input.queries` (those without judged documents are the caller's to drop). */
export async function evaluateRetrieval(embedder: Embedder, input: RetrievalEvalInput, options: RetrievalEvalOptions = {}): Promise<QueryOutcome[]> {
  const lora = options.lora ?? null;
  const index = CorpusIndex.build(embedder, input.corpus.map(documentText), { ...options, lora });
  const queries = embedTexts(embedder, input.queries.map((q) => q.text), options.batchSize, lora);
  try {
    const { indices, k } = await index.search(queries, options.depth ?? 100);
    return input.queries.map((q, i) => {
      const ranking = Array.from(indices.subarray(i * k, (i + 1) * k), (row) => input.corpus[row]._id);
      const relevant = input.qrels.get(q._id) ?? new Map<string, number>();
      return { id: q._id, metrics: queryMetrics(ranking, relevant), rank: firstRelevantRank(ranking, relevant), top: ranking[0] };
    });
  } finally {
    queries.dispose();
    index.dispose();
  }
}
