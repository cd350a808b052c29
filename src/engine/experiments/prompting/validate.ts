// The Prompting preset's light refusals (no data generated, so the first view's validate.ts can hold them): both arms
// present, every k and N within the seed's distinct pool, no empty fine-tuning run. The shots' fit is ./fit-check.
import { cleanPoolSize } from '../cell-data';
import type { ExperimentSpec } from '../types';
import type { FieldProblem } from '../validate';

export function promptingProblems(spec: ExperimentSpec): FieldProblem[] {
  if (!spec.prompting) return [];
  const problems: FieldProblem[] = [];
  const [a1, a2] = spec.axes;
  if (a1?.knob !== 'shots') problems.push({ field: 'axis1', message: 'This preset compares prompting with fine-tuning: axis 1 varies the shots k (solved lines before each prompt), e.g. 0, 1, 2, 4, 8.' });
  if (a2?.knob !== 'trainSize') problems.push({ field: 'axis2', message: 'This preset compares prompting with fine-tuning: axis 2 varies the fine-tuning examples N, e.g. 8, 32, 128, 512.' });
  if (problems.length) return problems;
  const pool = cleanPoolSize(spec.target);
  const shots = a1.values.filter(Number.isInteger);
  const sizes = a2.values.filter(Number.isInteger);
  const tooMany = (values: number[]) => values.filter((v) => v > pool);
  if (tooMany(sizes).length) problems.push({ field: 'axis2', message: `N = ${tooMany(sizes).join(', ')} is more than the ${pool} distinct ${spec.target} examples a seed's pool holds (never padded with repeats): use N ≤ ${pool}.` });
  if (sizes.includes(0)) problems.push({ field: 'axis2', message: 'N = 0 fine-tunes on nothing: the base with no shots is already the k = 0 point of axis 1. Use N of 1 or more.' });
  if (tooMany(shots).length) problems.push({ field: 'axis1', message: `k = ${tooMany(shots).join(', ')} is more than the ${pool} distinct ${spec.target} examples a seed's pool holds: use k ≤ ${pool}.` });
  return problems;
}
