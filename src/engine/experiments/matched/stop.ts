// A matched-gain cell's stopping rule: every few steps the target is scored on the dev probe; the cell stops at the first check that reaches the set accuracy.
import { evaluateSuite, headline } from '../../eval/run-suite';
import type { EvalModel, EvalTokenizer } from '../../eval/types';
import type { SkillName } from '../../world';
import type { CellTiming } from '../types';
import { devSuite, isCheckStep, type MatchedRun, type MatchedSpec } from './spec';

export interface MatchedStop {
  /** The checks so far and the step the target was reached (filled in as the cell trains). */
  run: MatchedRun;
  /** After `step`: scores the dev probe when it is a check step (its time counted as eval time), true once the target is reached. */
  check(step: number, model: () => EvalModel, tokenizer: EvalTokenizer, timing: CellTiming, signal?: AbortSignal): Promise<boolean>;
}

/** The rule for one cell; the dev probe's prompts are added to `exclude` (the prompts its training data may not hold). */
export function matchedStop(spec: MatchedSpec, target: SkillName, exclude: Set<string>): MatchedStop {
  const suite = devSuite(target, spec.devItems);
  for (const item of suite.probes[0].items) if ('prompt' in item) exclude.add(item.prompt);
  const run: MatchedRun = { reachedStep: null, checks: [], targetAccuracy: spec.targetAccuracy };
  return {
    run,
    async check(step, model, tokenizer, timing, signal) {
      if (!isCheckStep(step, spec.checkEvery)) return false;
      const t0 = performance.now();
      const result = await evaluateSuite(model(), tokenizer, suite, { seed: 0, resamples: 1, signal });
      const accuracy = headline(result.probes[0]).value;
      timing.evalMs += performance.now() - t0;
      run.checks.push({ step, accuracy });
      if (accuracy < spec.targetAccuracy) return false;
      run.reachedStep = step;
      return true;
    },
  };
}
