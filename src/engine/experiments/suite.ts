// The probes an experiment measures: exact match on the target and adjacent skills, plus held-out text perplexity.
import { heldOutTextMix, skillProbe } from '../eval/tiny-world-suite';
import type { EvalSuite, Probe } from '../eval/types';
import { EVAL_SETS, generateWorldDataset } from '../world';
import type { ExperimentSpec } from './types';
import { cohortProbes } from './cohorts/probes';

/**
 * Seed and eval role of the experiments' items: the reported set (EVAL_SETS.reported), never the set that tuned
 * pretraining (the model cards') nor the development set the app's probes use.
 */
export const EVAL_SEED = EVAL_SETS.reported.seed;
export const EVAL_ROLE = EVAL_SETS.reported.role;
export const PERPLEXITY_PROBE = 'held-out text';

export function experimentSuite(spec: Pick<ExperimentSpec, 'target' | 'adjacent' | 'evalItems'> & { fixed?: Pick<ExperimentSpec['fixed'], 'cohorts'> }): EvalSuite {
  // The Cohorts preset scores its target once per cohort form (the same items in each), the others once.
  const cohorts = spec.fixed?.cohorts;
  const probes: Probe[] = cohorts
    ? [...cohortProbes(spec.target, Object.keys(cohorts), spec.evalItems), ...spec.adjacent.map((skill) => skillProbe(skill, spec.evalItems, EVAL_SEED, EVAL_ROLE))]
    : [spec.target, ...spec.adjacent].map((skill) => skillProbe(skill, spec.evalItems, EVAL_SEED, EVAL_ROLE));
  if (spec.adjacent.length > 0) {
    const heldOut = generateWorldDataset({ mix: heldOutTextMix(), size: spec.evalItems, split: 'eval', seed: EVAL_SEED + 2, evalRole: EVAL_ROLE });
    probes.push({ name: PERPLEXITY_PROBE, metric: 'perplexity', items: heldOut.examples.map((e) => ({ text: e.prompt + e.completion })) });
  }
  return { name: 'experiment', probes };
}

/** Every eval prompt and every held-out text line of a suite: what no training example of the experiment may be. */
export function evalTexts(suite: EvalSuite): Set<string> {
  const texts = new Set<string>();
  for (const probe of suite.probes) {
    if (probe.metric === 'perplexity') for (const item of probe.items) texts.add(item.text);
    else for (const item of probe.items) texts.add(item.prompt);
  }
  return texts;
}

/** Whether a training example is one of the eval items (its prompt, or its whole line, is in the eval). */
export function isEvalItem(example: { prompt: string; completion: string }, evalSet: ReadonlySet<string>): boolean {
  return evalSet.has(example.prompt) || evalSet.has(example.prompt + example.completion);
}
