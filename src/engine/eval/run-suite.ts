// Runs an eval suite against a model: scores every probe with bootstrap 95% CIs and per-cohort slices.

import { JobCancelledError } from '../errors';
import { bootstrapScore, ratioOf } from './bootstrap';
import { contains, exactMatch, multipleChoice, perplexityTerms, tokenAccuracy, continuationLogprob } from './metrics';
import { verdictOf, type FastVerdict } from './teacher-forced-match';
import type { AgreementItem, EvalModel, EvalSuite, EvalTokenizer, ItemValue, MetricResult, Probe, ProbeResult, SuiteResult } from './types';

export interface EvaluateOptions {
  /** Seed of the bootstrap resampling (default 0). */
  seed?: number;
  resamples?: number;
  signal?: AbortSignal;
  /** Called after each item with (items done, items total). */
  onProgress?: (done: number, total: number) => void;
  /**
   * 'batched' (default, when the model offers it): exact match decided by a batched teacher-forced pass, with greedy
   * decoding only for the items it cannot decide (same verdicts; ./teacher-forced-match), and perplexity texts scored
   * in batches. 'one-by-one': greedy-decode every item (full predictions, e.g. to compare texts with a reference) and
   * score every text in its own forward pass.
   */
  scoring?: 'batched' | 'one-by-one';
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

type GenerationProbe = Extract<Probe, { metric: 'exact_match' | 'contains' }>;

/** Maximum new tokens of an exact-match item (the probe's, else the answer's length + 2). */
function maxNewOf(probe: GenerationProbe, targetIds: number[]): number {
  return probe.maxNew ?? targetIds.length + 2;
}

/** Teacher-forced verdicts of every exact-match item of the suite, in one batched call; null where greedy must decide. */
async function fastVerdicts(model: EvalModel, tokenizer: EvalTokenizer, suite: EvalSuite, options: EvaluateOptions): Promise<Map<Probe, FastVerdict[]>> {
  const out = new Map<Probe, FastVerdict[]>();
  if ((options.scoring ?? 'batched') !== 'batched' || !model.greedyAgreement) return out;
  const jobs: { probe: GenerationProbe; index: number; targetIds: number[]; stopId: number }[] = [];
  const items: AgreementItem[] = [];
  for (const probe of suite.probes) {
    if (probe.metric !== 'exact_match') continue;
    const stopIds = tokenizer.encode(probe.stop ?? '\n');
    if (stopIds.length !== 1) continue;
    out.set(probe, probe.items.map(() => null));
    probe.items.forEach((item, index) => {
      const promptIds = tokenizer.encode(item.prompt);
      const targetIds = tokenizer.encode(item.target);
      if (promptIds.length === 0 || maxNewOf(probe, targetIds) < targetIds.length + 1) return;
      jobs.push({ probe, index, targetIds, stopId: stopIds[0] });
      items.push({ promptIds, maxNew: maxNewOf(probe, targetIds), continuation: [...targetIds, stopIds[0]] });
    });
  }
  if (items.length === 0) return out;
  const agreements = await model.greedyAgreement(items, options.signal);
  jobs.forEach((job, i) => {
    out.get(job.probe)![job.index] = verdictOf(agreements[i], job.probe.items[job.index], job.targetIds, job.stopId, maxNewOf(job.probe, job.targetIds), tokenizer);
  });
  return out;
}

async function runProbe(model: EvalModel, tokenizer: EvalTokenizer, probe: Probe, options: EvaluateOptions, tick: () => void, fast?: FastVerdict[]): Promise<ProbeResult> {
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
      for (const [index, item] of probe.items.entries()) {
        checkAbort(options.signal);
        const decided = fast?.[index];
        if (decided) {
          predictions.push(decided.prediction);
          values.push(decided.value);
          tick();
          continue;
        }
        const maxNew = maxNewOf(probe, tokenizer.encode(item.target));
        const generated = await model.generateGreedy(tokenizer.encode(item.prompt), maxNew, stopIds[0], tokenizer.vocabSize);
        const text = tokenizer.decode(generated);
        predictions.push(text);
        values.push(probe.metric === 'exact_match' ? exactMatch(text, item.target) : contains(text, item.target));
        tick();
      }
      return { probe: probe.name, predictions, itemValues: values, metrics: { [probe.metric]: summarize({ values, cohorts }, true, seed, options.resamples) } };
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
        itemValues: acc,
        metrics: {
          acc: summarize({ values: acc, cohorts }, true, seed, options.resamples),
          acc_norm: summarize({ values: accNorm, cohorts }, true, seed, options.resamples),
        },
      };
    }
    case 'perplexity': {
      const values: ItemValue[] = [];
      // Batched when the model offers it (the same numbers up to float rounding).
      const batched = (options.scoring ?? 'batched') === 'batched' && model.scoreTokensBatch ? await model.scoreTokensBatch(probe.items.map((item) => tokenizer.encode(item.text)), options.signal) : null;
      for (const [index, item] of probe.items.entries()) {
        checkAbort(options.signal);
        const terms = perplexityTerms(batched ? batched[index] : await model.scoreTokens(tokenizer.encode(item.text)));
        values.push(terms);
        predictions.push(terms.numerator);
        tick();
      }
      return { probe: probe.name, predictions, itemValues: values, metrics: { perplexity: summarize({ values, cohorts }, false, seed, options.resamples, Math.exp) } };
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
      return { probe: probe.name, predictions, itemValues: values, metrics: { token_accuracy: summarize({ values, cohorts }, true, seed, options.resamples) } };
    }
  }
}

/** Evaluates every probe in order; deterministic for the same model, suite and seed. */
export async function evaluateSuite(model: EvalModel, tokenizer: EvalTokenizer, suite: EvalSuite, options: EvaluateOptions = {}): Promise<SuiteResult> {
  const total = suite.probes.reduce((n, p) => n + p.items.length, 0);
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  checkAbort(options.signal);
  const fast = await fastVerdicts(model, tokenizer, suite, options);
  const probes: ProbeResult[] = [];
  for (const probe of suite.probes) probes.push(await runProbe(model, tokenizer, probe, options, tick, fast.get(probe)));
  return { suite: suite.name, probes };
}

/** The headline number of a probe (its first metric). */
export function headline(result: ProbeResult): { metric: string; value: number } {
  const [metric, value] = Object.entries(result.metrics)[0];
  return { metric, value: value.value };
}

export { ratioOf };
