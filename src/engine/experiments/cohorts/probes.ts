// The Cohorts preset's probes: the target's reported eval items written in each cohort's form, item i the same ticket in every cohort.
import { skillProbe } from '../../eval/tiny-world-suite';
import type { Probe } from '../../eval/types';
import { EVAL_SETS, type SkillName } from '../../world';
import { cohortPrompt, isCohortForm } from './forms';

/** "ROUTE · caps": the probe of one cohort. */
export function cohortProbeName(target: string, cohort: string): string {
  return `${target} · ${cohort}`;
}

/**
 * One exact-match probe per cohort over the same items (same wrapper, slots and label; only the phrase's form differs),
 * so per-cohort scores of one run pair item by item.
 */
export function cohortProbes(target: SkillName, cohorts: readonly string[], evalItems: number): Probe[] {
  const plain = skillProbe(target, evalItems, EVAL_SETS.reported.seed, EVAL_SETS.reported.role);
  if (plain.metric !== 'exact_match') throw new Error(`${target}'s probe is not exact match.`);
  return cohorts.filter(isCohortForm).map((cohort) => ({
    name: cohortProbeName(target, cohort),
    metric: 'exact_match',
    stop: plain.stop,
    items: plain.items.map((item) => ({ prompt: cohortPrompt(item.prompt, target, cohort), target: item.target, cohort })),
  }));
}
