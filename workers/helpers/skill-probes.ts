// Per-skill exact match of a model on a small fixed Tiny World sample: the points of the Train page's skill curves.
import { evaluateSuite, evalTokenizerOf, headline, tinyWorldSuite, type EvalModel, type EvalSuite } from '../../src/engine/eval';
import type { Tokenizer } from '../../src/engine/tokenizers';
import { EVAL_SETS, type SkillName } from '../../src/engine/world';

/** Seed and role of the probe items: the development set (EVAL_SETS), never the items experiments report on. */
export const PROBE_SEED = EVAL_SETS.development.seed;

/** Every skill by default; pretraining measures only the skills of its mixture (ROUTE is never trained there). */
export function skillProbeSuite(itemsPerSkill: number, skills?: readonly SkillName[]): EvalSuite {
  return tinyWorldSuite({ perSkill: itemsPerSkill, seed: PROBE_SEED, role: EVAL_SETS.development.role, extras: false, skills: skills && [...skills] });
}

/** Probe name (the skill) → exact match in [0, 1]. */
export async function measureSkills(model: EvalModel, tokenizer: Tokenizer, suite: EvalSuite, signal?: AbortSignal): Promise<Record<string, number>> {
  const result = await evaluateSuite(model, evalTokenizerOf(tokenizer), suite, { signal, resamples: 1 });
  return Object.fromEntries(result.probes.map((p) => [p.probe, headline(p).value]));
}
