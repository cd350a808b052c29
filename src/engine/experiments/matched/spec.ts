// LoRA vs full fine-tuning at matched gain (Biderman et al. 2024): each run stops when the target reaches a set dev accuracy, forgetting is read there.
import { skillProbe } from '../../eval/tiny-world-suite';
import type { EvalSuite } from '../../eval/types';
import { EVAL_SETS, type SkillName } from '../../world';

export interface MatchedSpec {
  /** The run stops at the first check where the target's exact match on the dev probe is at least this (0–1]. */
  targetAccuracy: number;
  /** The dev probe is scored every this many steps (the cell's `steps` is the cap). */
  checkEvery: number;
  /** Items of the dev probe: the development eval set (seed 2002), never the reported items forgetting is read on. */
  devItems: number;
}

/** What a matched-gain cell recorded: every dev check, and the step it reached the target (null: it hit the cap first). */
export interface MatchedRun {
  reachedStep: number | null;
  checks: { step: number; accuracy: number }[];
  targetAccuracy: number;
}

/** Key of the dev probe in a check (the target skill on the development set). */
export const DEV_PROBE = 'dev';

/** The dev probe: the target skill on the development eval set, apart from the reported items every score is read on. */
export function devSuite(target: SkillName, items: number): EvalSuite {
  const probe = skillProbe(target, items, EVAL_SETS.development.seed, EVAL_SETS.development.role);
  return { name: 'matched-dev', probes: [{ ...probe, name: DEV_PROBE }] };
}

/** Whether a cell checks the dev probe after `step` (the cap is scored on the reported items anyway). */
export function isCheckStep(step: number, every: number): boolean {
  return every > 0 && step % every === 0;
}
