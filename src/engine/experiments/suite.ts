// The probes an experiment measures: exact match on the target and adjacent skills, plus held-out text perplexity.
import { skillProbe } from '../eval/tiny-world-suite';
import type { EvalSuite, Probe } from '../eval/types';
import { generateWorldDataset, PRETRAIN_MIX } from '../world';
import type { ExperimentSpec } from './types';

/** Seed of the eval items: the one the base model cards were scored with. */
export const EVAL_SEED = 1001;
export const PERPLEXITY_PROBE = 'held-out text';

export function experimentSuite(spec: Pick<ExperimentSpec, 'target' | 'adjacent' | 'evalItems'>): EvalSuite {
  const probes: Probe[] = [spec.target, ...spec.adjacent].map((skill) => skillProbe(skill, spec.evalItems, EVAL_SEED));
  if (spec.adjacent.length > 0) {
    const heldOut = generateWorldDataset({ mix: PRETRAIN_MIX, size: spec.evalItems, split: 'eval', seed: EVAL_SEED + 2 });
    probes.push({ name: PERPLEXITY_PROBE, metric: 'perplexity', items: heldOut.examples.map((e) => ({ text: e.prompt + e.completion })) });
  }
  return { name: 'experiment', probes };
}
