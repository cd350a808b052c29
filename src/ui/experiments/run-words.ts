// What the Run button, the progress line and the time estimate say, in plain words (pure, so tests pin them).
import type { SweepEstimate } from '../../engine/experiments/eta';
import type { ExperimentProgress } from '../../contract';
import { formatDuration } from '../format';

export const runs = (n: number): string => `${n} run${n === 1 ? '' : 's'}`;

/** The Run button: what pressing it does (nothing to do when every run is stored). */
export function runButtonLabel(todo: number, planned: number): string {
  if (planned === 0) return 'Nothing to run';
  if (todo === 0) return planned === 1 ? 'The 1 run is stored — showing results' : `All ${planned} runs stored — showing results`;
  if (todo === planned) return `Run all ${planned}`;
  return `Run the ${todo} missing (${planned - todo} of ${planned} stored)`;
}

function about(estimate: SweepEstimate): string {
  return `about ${formatDuration(Math.max(1, estimate.ms / 1000))}${estimate.evalsTimed ? '' : ' of training (scoring not timed yet)'}`;
}

/** Before a run: how long the missing runs take on this device, or why there is no estimate yet. */
export function estimateBefore(estimate: SweepEstimate | null, todo: number, measured: number): string {
  if (todo === 0) return '';
  if (!estimate) return 'No time estimate yet: nothing has been timed on this model here. It appears once the first run has taken a few steps.';
  return `Estimated time: ${about(estimate)} for ${runs(todo)} on this device, timed from ${runs(measured)} of this model here.`;
}

/** While running: the time left for the whole sweep. */
export function estimateLeft(estimate: SweepEstimate | null): string {
  return estimate ? `${about(estimate)} left for the sweep` : 'time left: measured after the first steps';
}

export type ProgressLine = Pick<ExperimentProgress, 'cellsDone' | 'cellCount' | 'cellKey' | 'step' | 'steps' | 'loss'>;

/** "Run 3 of 5 · step 12/300, loss 0.532" */
export function progressLine(p: ProgressLine | null): string {
  if (!p) return 'Starting…';
  if (p.cellsDone >= p.cellCount) return `All ${runs(p.cellCount)} done`;
  const where = p.cellKey ? `step ${p.step}/${p.steps}${p.loss !== null ? `, loss ${p.loss.toFixed(3)}` : ''}` : 'preparing';
  return `Run ${p.cellsDone + 1} of ${p.cellCount} · ${where}`;
}
