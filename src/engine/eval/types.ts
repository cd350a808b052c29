// Types of the eval harness: the small model/tokenizer interface it runs against, probes, and scored results.

/** What the harness needs from a language model; the engine's CausalLM is adapted to this (see ./engine-adapter). */
export interface EvalModel {
  /** Greedy continuation of `promptIds`: at most `maxNew` new ids, stopping after (and excluding) `stopId`. */
  generateGreedy(promptIds: number[], maxNew: number, stopId: number): Promise<number[]>;
  /**
   * Teacher-forced scores of `ids`: logprobs[t] = log p(ids[t] | ids[<t]) and argmax[t] = the most likely token at t,
   * both for t ≥ 1 (index 0 is unused and set to 0).
   */
  scoreTokens(ids: number[]): Promise<TokenScores>;
}

export interface TokenScores {
  logprobs: ArrayLike<number>;
  argmax: ArrayLike<number>;
}

export interface EvalTokenizer {
  encode(text: string): number[];
  decode(ids: number[]): string;
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
  /** Per-item predictions for inspection (generated text, chosen index, or NLL). */
  predictions: (string | number)[];
}

export interface SuiteResult {
  suite: string;
  probes: ProbeResult[];
}
