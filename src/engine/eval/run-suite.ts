// Runs an eval suite against a model: scores every probe with bootstrap 95% CIs and per-cohort slices.

import { JobCancelledError } from '../errors';
import { bootstrapScore, ratioOf } from './bootstrap';
import { contains, exactMatch, multipleChoice, perplexityTerms, tokenAccuracy, continuationLogprob } from './metrics';
import type { EvalModel, EvalSuite, EvalTokenizer, ItemValue, MetricResult, Probe, ProbeResult, SuiteResult } from './types';

export interface EvaluateOptions {
  /** Seed of the bootstrap resampling (default 0). */
  seed?: number;
  resamples?: number;
  signal?: AbortSignal;
  /** Called after each item with (items done, items total). */
  onProgress?: (done: number, total: number) => void;
}

interface Collected {
  values: ItemValue[];
  cohorts: (string | undefined)[];
}

function summarize(collected: Collected, higherIsBetter: boolean, seed: number, resamples: number | undefined, finalize?: (x: number) => number): MetricResult {
  const overall = bootstrapScore(collected.values, { seed, resamples, finalize });
  const perCohort: MetricResult['perCohort'] = {};
  const names = [...new Set(collected.cohorts.filter((c): c is string => c !== undefined))].sort();
  for (const name of names) {
    const slice = collected.values.filter((_, i) => collected.cohorts[i] === name);
    perCohort[name] = bootstrapScore(slice, { seed, resamples, finalize });
  }
  return { ...overall, higherIsBetter, perCohort };
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new JobCancelledError('Evaluation was cancelled.', 'Start it again when ready.');
}

async function runProbe(model: EvalModel, tokenizer: EvalTokenizer, probe: Probe, options: EvaluateOptions, tick: () => void): Promise<ProbeResult> {
  const seed = options.seed ?? 0;
  const predictions: (string | number)[] = [];
  const cohorts = probe.items.map((item) => item.cohort);
  switch (probe.metric) {
    case 'exact_match':
    case 'contains': {
      const stop = probe.stop ?? '\n';
      const stopIds = tokenizer.encode(stop);
      if (stopIds.length !== 1) throw new Error(`Probe ${probe.name}: stop string ${JSON.stringify(stop)} must be one token.`);
      const values: ItemValue[] = [];
      for (const item of probe.items) {
        checkAbort(options.signal);
        const maxNew = probe.maxNew ?? tokenizer.encode(item.target).length + 2;
        const generated = await model.generateGreedy(tokenizer.encode(item.prompt), maxNew, stopIds[0]);
        const text = tokenizer.decode(generated);
        predictions.push(text);
        values.push(probe.metric === 'exact_match' ? exactMatch(text, item.target) : contains(text, item.target));
        tick();
      }
      return { probe: probe.name, predictions, metrics: { [probe.metric]: summarize({ values, cohorts }, true, seed, options.resamples) } };
    }
    case 'multiple_choice': {
      const acc: ItemValue[] = [];
      const accNorm: ItemValue[] = [];
      for (const item of probe.items) {
        const promptIds = tokenizer.encode(item.prompt);
        const logprobs: number[] = [];
        for (const choice of item.choices) {
          checkAbort(options.signal);
          const scores = await model.scoreTokens([...promptIds, ...tokenizer.encode(choice)]);
          logprobs.push(continuationLogprob(scores, promptIds.length));
        }
        const result = multipleChoice(logprobs, item.choices, item.answer);
        acc.push(result.acc);
        accNorm.push(result.accNorm);
        predictions.push(result.picked);
        tick();
      }
      return {
        probe: probe.name,
        predictions,
        metrics: {
          acc: summarize({ values: acc, cohorts }, true, seed, options.resamples),
          acc_norm: summarize({ values: accNorm, cohorts }, true, seed, options.resamples),
        },
      };
    }
    case 'perplexity': {
      const values: ItemValue[] = [];
      for (const item of probe.items) {
        checkAbort(options.signal);
        const terms = perplexityTerms(await model.scoreTokens(tokenizer.encode(item.text)));
        values.push(terms);
        predictions.push(terms.numerator);
        tick();
      }
      return { probe: probe.name, predictions, metrics: { perplexity: summarize({ values, cohorts }, false, seed, options.resamples, Math.exp) } };
    }
    case 'token_accuracy': {
      const values: ItemValue[] = [];
      for (const item of probe.items) {
        checkAbort(options.signal);
        const promptIds = tokenizer.encode(item.prompt);
        const ids = [...promptIds, ...tokenizer.encode(item.target)];
        const value = tokenAccuracy(ids, await model.scoreTokens(ids), promptIds.length);
        values.push(value);
        predictions.push(value.numerator / Math.max(1, value.denominator));
        tick();
      }
      return { probe: probe.name, predictions, metrics: { token_accuracy: summarize({ values, cohorts }, true, seed, options.resamples) } };
    }
  }
}

/** Evaluates every probe in order; deterministic for the same model, suite and seed. */
export async function evaluateSuite(model: EvalModel, tokenizer: EvalTokenizer, suite: EvalSuite, options: EvaluateOptions = {}): Promise<SuiteResult> {
  const total = suite.probes.reduce((n, p) => n + p.items.length, 0);
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  const probes: ProbeResult[] = [];
  for (const probe of suite.probes) probes.push(await runProbe(model, tokenizer, probe, options, tick));
  return { suite: suite.name, probes };
}

/** The headline number of a probe (its first metric). */
export function headline(result: ProbeResult): { metric: string; value: number } {
  const [metric, value] = Object.entries(result.metrics)[0];
  return { metric, value: value.value };
}

export { ratioOf };
