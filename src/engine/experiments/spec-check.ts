// Every problem of a spec, including those that need the Tiny World generator (the Prompting preset's shots against the
// base's context): what the Experiments page shows and the job refuses. validate.ts alone (the first view's chunk) has
// the rest, without the generator's code.
import { ExperimentSpecError } from '../errors';
import { shotFitProblems } from './prompting/fit-check';
import type { ExperimentSpec } from './types';
import { fieldLabel, validateSpec, type FieldProblem } from './validate';

export function specProblems(spec: ExperimentSpec): FieldProblem[] {
  return [...validateSpec(spec), ...shotFitProblems(spec)];
}

/** For the experiment job: refuses a spec the form would have marked, in the form's words. */
export function assertRunnableSpec(spec: ExperimentSpec): void {
  const problems = specProblems(spec);
  if (problems.length === 0) return;
  throw new ExperimentSpecError(
    `This sweep cannot run: ${problems.map((p) => `${fieldLabel(p.field, spec)}: ${p.message}`).join(' ')}`,
    'Fix the marked fields on the Experiments page, then press Run again.',
  );
}
