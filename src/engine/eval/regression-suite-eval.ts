// Scores a regression suite on one model: built-in abilities expanded, the context checked, every item's value kept for pairing.

import { EVAL_SETS, generateEvalSet, generateWorldDataset, SKILL_NAMES, type SkillName } from '../world';
import { RegressionSuiteError } from '../errors';
import { checkSuiteContext, type RegressionAbility, type RegressionScores } from './regression-suite';
import { evaluateSuite } from './run-suite';
import { heldOutTextMix, probeSize } from './tiny-world-suite';
import type { EvalModel, EvalSuite, EvalTokenizer, Probe } from './types';

/** Built-in checks: held-out Tiny World text (perplexity) and a Tiny World skill (exact match), for Tiny World bases. */
export type RegressionBuiltin = { kind: 'held-out-text' } | { kind: 'tiny-world-skill'; skill: string };

/** Seed of built-in items: not the skill probes' seed, so the suite is not the run's own probe sample. */
export const BUILTIN_SEED = 2024;
/** Built-ins are a development check: they draw from the development third of the eval half, never the reported one. */
const BUILTIN_ROLE = EVAL_SETS.development.role;

/** The built-in checks as abilities with `perBuiltin` items each (the same items for the same arguments). */
export function builtinAbilities(builtins: readonly RegressionBuiltin[], perBuiltin: number): RegressionAbility[] {
  return builtins.map((b): RegressionAbility => {
    if (b.kind === 'held-out-text') {
      const texts = generateWorldDataset({ mix: heldOutTextMix(), size: perBuiltin, split: 'eval', seed: BUILTIN_SEED, evalRole: BUILTIN_ROLE }).examples.map((e) => ({ text: e.prompt + e.completion }));
      return { name: 'held-out text', metric: 'perplexity', items: texts };
    }
    if (!(SKILL_NAMES as readonly string[]).includes(b.skill)) throw new RegressionSuiteError(`“${b.skill}” is not a Tiny World skill.`, `Pick one of ${SKILL_NAMES.join(', ')}.`);
    const items = generateEvalSet(b.skill as SkillName, probeSize(b.skill as SkillName, perBuiltin, BUILTIN_ROLE), BUILTIN_SEED, undefined, BUILTIN_ROLE).map((e) => ({ prompt: e.prompt, answer: e.completion.replace(/\n$/, '') }));
    return { name: b.skill, metric: 'exact_match', items };
  });
}

/** What a suite holds (the contract's RegressionSuiteSpec has these fields). */
export interface RegressionSuiteContent {
  name: string;
  abilities: RegressionAbility[];
  builtins: RegressionBuiltin[];
  builtinItems: number;
}

/** A suite's abilities for a base: the user's own, then the built-ins (which need a Tiny World base). */
export function suiteAbilities(suite: RegressionSuiteContent, tinyWorldBase: boolean): RegressionAbility[] {
  if (suite.builtins.length && !tinyWorldBase) {
    throw new RegressionSuiteError(`The suite “${suite.name}” uses Tiny World built-in checks, but this base is not a Tiny World model.`, 'Choose a suite built from your own file for this base, or train on a Tiny World base.');
  }
  return [...suite.abilities, ...builtinAbilities(suite.builtins, suite.builtinItems)];
}

/** The abilities as the harness's probes: greedy exact match stopping at a line break, or perplexity. */
export function regressionEvalSuite(abilities: readonly RegressionAbility[]): EvalSuite {
  const probes = abilities.map((a): Probe => {
    if (a.metric === 'perplexity') return { name: a.name, metric: 'perplexity', items: a.items.map((i) => ({ text: i.text })) };
    return { name: a.name, metric: 'exact_match', stop: '\n', items: a.items.map((i) => ({ prompt: i.prompt, target: i.answer })) };
  });
  return { name: 'regression', probes };
}

export interface ScoreRegressionOptions {
  step: number;
  maxPositions: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Every item's value on `model` (greedy exact match as eval-model decides it; perplexity terms), in item order. */
export async function scoreRegressionSuite(model: EvalModel, tokenizer: EvalTokenizer, abilities: readonly RegressionAbility[], options: ScoreRegressionOptions): Promise<RegressionScores> {
  checkSuiteContext(abilities, (text) => tokenizer.encode(text), options.maxPositions);
  const stop = tokenizer.encode('\n');
  if (abilities.some((a) => a.metric === 'exact_match') && stop.length !== 1) {
    throw new RegressionSuiteError(
      `This model's tokenizer writes a line break as ${stop.length} tokens; exact match reads the model's answer up to one line-break token, so it cannot score answers on this model.`,
      'Use text rows ({"text": …}, scored by perplexity) for this model, or a model whose tokenizer has a line-break token.',
    );
  }
  const result = await evaluateSuite(model, tokenizer, regressionEvalSuite(abilities), { signal: options.signal, onProgress: options.onProgress, resamples: 1 });
  return {
    step: options.step,
    abilities: abilities.map((a, i) => ({ name: a.name, metric: a.metric, higherIsBetter: a.metric !== 'perplexity', items: result.probes[i].itemValues.map((v) => ({ numerator: v.numerator, denominator: v.denominator })) })),
  };
}
