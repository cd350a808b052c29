// Types of the eval harness: the small model/tokenizer interface it runs against, probes, and scored results.

/** What the harness needs from a language model; the engine's CausalLM is adapted to this (see ./eval-model). */
export interface EvalModel {
  /**
   * Greedy continuation of `promptIds`: at most `maxNew` new ids, stopping after (and excluding) `stopId`; only ids
   * below `vocabLimit` when given (the tokenizer's size, where the model's vocabulary is padded past it, as Qwen's).
   */
  generateGreedy(promptIds: number[], maxNew: number, stopId: number, vocabLimit?: number): Promise<number[]>;
  /**
   * Teacher-forced scores of `ids`: logprobs[t] = log p(ids[t] | ids[<t]) and argmax[t] = the most likely token at t,
   * both for t ≥ 1 (index 0 is unused and set to 0).
   */
  scoreTokens(ids: number[]): Promise<TokenScores>;
  /**
   * Optional batched teacher-forced check of the greedy path (see ./teacher-forced-match): for each item, feeds
   * prompt + continuation in one forward pass and reports how many continuation ids are the argmax in a row. null for an
   * item that does not fit the context (the harness then decodes it greedily).
   */
  greedyAgreement?(items: AgreementItem[], signal?: AbortSignal): Promise<(Agreement | null)[]>;
  /** Optional batched scoreTokens: the same numbers for many sequences from few forward passes. */
  scoreTokensBatch?(sequences: number[][], signal?: AbortSignal): Promise<TokenScores[]>;
}

export interface AgreementItem {
  promptIds: number[];
  /** The greedy budget of new tokens: the prompt is cut from the left exactly as generateGreedy cuts it for this budget. */
  maxNew: number;
  /** The expected answer ids followed by the stop id. */
  continuation: number[];
}

export interface Agreement {
  /** Leading continuation ids that are the argmax at their position (continuation.length when all are). */
  matched: number;
  /** The argmax at the first position that differs (-1 when every id matched). */
  miss: number;
}

export interface TokenScores {
  logprobs: ArrayLike<number>;
  argmax: ArrayLike<number>;
}

export interface EvalTokenizer {
  encode(text: string): number[];
  decode(ids: number[]): string;
  /**
   * True when decode(ids) is the concatenation of decode([id]) for each id (character-level tokenizers): then a
   * teacher-forced miss decides a greedy exact-match item as wrong without decoding it (./teacher-forced-match).
   */
  decodeConcatenates?: boolean;
  /** How many ids decode can take; greedy decoding stays below it. */
  vocabSize?: number;
}

/** One eval item. `target` is the expected completion without the stop string. */
export interface GenerationItem {
  prompt: string;
  target: string;
  cohort?: string;
}

export interface ChoiceItem {
  prompt: string;
  choices: string[];
  /** Index of the correct choice. */
  answer: number;
  cohort?: string;
}

export interface TextItem {
  text: string;
  cohort?: string;
}

/** A probe = a named set of items plus a metric. */
export type Probe =
  | { name: string; metric: 'exact_match' | 'contains'; items: GenerationItem[]; stop?: string; maxNew?: number }
  | { name: string; metric: 'multiple_choice'; items: ChoiceItem[] }
  | { name: string; metric: 'perplexity'; items: TextItem[] }
  | { name: string; metric: 'token_accuracy'; items: GenerationItem[] };

export interface EvalSuite {
  name: string;
  probes: Probe[];
}

/**
 * One item's contribution to a metric as a ratio: the metric is finalize(Σ numerator / Σ denominator).
 * Mean metrics use denominator 1; perplexity uses (negative log-likelihood, tokens) and finalize = exp.
 */
export interface ItemValue {
  numerator: number;
  denominator: number;
}

export interface Score {
  value: number;
  /** Bootstrap 95% percentile interval over items. */
  ci: [number, number];
  n: number;
}

export interface MetricResult extends Score {
  /** False for perplexity (lower is better). */
  higherIsBetter: boolean;
  perCohort: Record<string, Score>;
}

export interface ProbeResult {
  probe: string;
  /** Metric name → result; multiple choice yields acc and acc_norm. The first key is the headline. */
  metrics: Record<string, MetricResult>;
  /**
   * Per-item predictions for inspection (generated text, chosen index, or NLL). An exact-match item decided wrong by
   * the teacher-forced check shows the greedy answer up to its first wrong token, followed by "…".
   */
  predictions: (string | number)[];
  /** Per-item values of the headline metric, in item order (what its interval resamples; experiments keep them per cell). */
  itemValues: ItemValue[];
}

export interface SuiteResult {
  suite: string;
  probes: ProbeResult[];
}
