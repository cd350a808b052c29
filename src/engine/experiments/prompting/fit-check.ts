// The Prompting preset's refusal of k that does not fit the base's context for the target, naming the largest k that
// fits. It generates each seed's pool and the eval items, so it lives apart from validate.ts (the first view's chunk):
// the Experiments page and the job run it through ../spec-check.
import { evalTexts, experimentSuite } from '../suite';
import type { ExperimentSpec } from '../types';
import type { FieldProblem } from '../validate';
import { baseContext, largestFittingShots } from './fit';
import { promptingProblems } from './validate';

export function shotFitProblems(spec: ExperimentSpec): FieldProblem[] {
  // Only once the light checks pass (the arms are there, within the pool).
  if (!spec.prompting || promptingProblems(spec).length) return [];
  const problems: FieldProblem[] = [];
  const shots = spec.axes[0].values.filter(Number.isInteger);
  const kMax = Math.max(0, ...shots);
  const context = baseContext(spec.base);
  if (context !== null && kMax > 0 && Number.isInteger(spec.seeds) && spec.seeds >= 1 && spec.seeds <= 10 && Number.isInteger(spec.evalItems) && spec.evalItems >= 1 && spec.evalItems <= 500) {
    const fits = largestFittingShots(spec.target, spec.seeds, spec.evalItems, context, evalTexts(experimentSuite(spec)), kMax);
    const over = shots.filter((k) => k > fits);
    if (over.length) {
      problems.push({
        field: 'axis1',
        message: `k = ${over.join(', ')} does not fit: ${spec.base} reads ${context} characters, and with more than ${fits} of a seed's ${spec.target} shots the longest eval item would be cut from the left. The largest k that fits is ${fits}.`,
      });
    }
  }
  return problems;
}
