// A run's line in the run picker: name, status and step, live for the run being trained now.
import type { RunRecord } from '../../contract';

/**
 * `liveStep` is given for the run a job trains now: its stored record still says what it said when the job began
 * ("queued", step 0) until the job ends, so the live step and "running" are shown instead.
 */
export function runListLabel(run: Pick<RunRecord, 'name' | 'status' | 'step' | 'hyper'>, liveStep: number | null): string {
  const status = liveStep === null ? run.status : 'running';
  const step = liveStep === null ? run.step : Math.max(liveStep, run.step);
  return `${run.name} — ${status}, step ${step}/${run.hyper.steps}`;
}
