// One cell's training loop, shared by every preset: steps up to the cell's count, cancellable, timed, scored where the sweep asks.
import { JobCancelledError } from '../errors';
import { provenanceOf } from './identity';
import type { Cell, CellEval, CellResult, CellTiming, EvalEarly } from './types';

/** Whether a cell is scored after `step` of `steps`: the last step, every evalEvery steps, and the early ones. */
export function isEvalStep(step: number, steps: number, evalEvery: number, early: EvalEarly = { every: 0, until: 0 }): boolean {
  if (step === steps) return true;
  if (evalEvery > 0 && step % evalEvery === 0) return true;
  return early.every > 0 && step <= early.until && step % early.every === 0;
}

export function checkCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new JobCancelledError('The experiment was cancelled.', 'Run it again: finished cells are kept and skipped.');
}

export interface CellStepOptions {
  evalEvery: number;
  evalEarly?: EvalEarly;
  signal?: AbortSignal;
  onStep?: (step: number, loss: number, timing: CellTiming) => void;
  /** Asked after every step: true ends the cell there, scored (the matched-gain preset's target reached). */
  stop?: (step: number) => Promise<boolean>;
}

/** What the loop needs of a trainer: the engine's, or the contrastive one an Embedding gap cell drives. */
export interface SteppingTrainer {
  readonly stepCount: number;
  step(): Promise<{ step: number; loss: number }>;
}

/** Trains `trainer` up to `steps`, adding each step's time to `timing` and its loss to `losses`, and calls `score` at eval steps. */
export async function trainCellSteps(trainer: SteppingTrainer, steps: number, options: CellStepOptions, timing: CellTiming, losses: number[], score: (step: number) => Promise<void>): Promise<void> {
  while (trainer.stepCount < steps) {
    checkCancelled(options.signal);
    const t0 = performance.now();
    const stats = await trainer.step();
    timing.steps++;
    timing.trainMs += performance.now() - t0;
    losses.push(stats.loss);
    options.onStep?.(stats.step, stats.loss, { ...timing });
    const stop = options.stop ? await options.stop(stats.step) : false;
    if (stop || isEvalStep(stats.step, steps, options.evalEvery, options.evalEarly)) await score(stats.step);
    if (stop) return;
  }
}

/** A finished cell's record: what every preset stores (extra fields are the preset's own), its time split closed off. */
export function cellResultOf(
  base: { id: string; weightsSha256: string },
  cell: Cell,
  experimentId: string,
  run: { evals: CellEval[]; losses: number[]; trainExamples: number; started: number; timing: CellTiming },
): CellResult {
  const ms = performance.now() - run.started;
  const timing = { ...run.timing, otherMs: Math.max(0, ms - run.timing.trainMs - run.timing.evalMs) };
  return {
    cellKey: cell.key,
    experimentId,
    provenance: provenanceOf(base.id, base.weightsSha256),
    settings: cell.settings,
    seed: cell.seed,
    evals: run.evals,
    losses: run.losses,
    trainExamples: run.trainExamples,
    ms,
    timing,
  };
}
