// Time left of a sweep from what was timed on this device so far: seconds per training step and per evaluation, separately.

export interface LookPlan {
  /** Training runs (cells) still to run in this job, and steps per run. */
  cells: number;
  steps: number;
  /** Evaluate every this many steps (0 = only after the last); step 0 is evaluated too when > 0. */
  evalEvery: number;
}

export interface LookEstimate {
  /** With every evaluation still to come at secondsPerEval: the estimate, or (before an evaluation was timed) its upper end. */
  secondsLeft: number;
  /** The steps alone, as if the evaluations took no time: the lower end while no evaluation was timed. */
  stepsOnlySeconds: number;
  secondsPerStep: number;
  timedSteps: number;
  /** Seconds per evaluation: measured between two steps, or (before any) the start-up before the first step, which also loads the base. */
  secondsPerEval: number;
  evalMeasured: boolean;
}

/** Whether an evaluation runs right after `step` of a run (step 0 = before training). */
function evalsAfter(step: number, plan: LookPlan): boolean {
  return step === plan.steps || (plan.evalEvery > 0 && step % plan.evalEvery === 0);
}

/** Evaluations of one run after (not including) `step`. */
function evalsLeftInRun(step: number, plan: LookPlan): number {
  let n = 0;
  for (let s = step + 1; s <= plan.steps; s++) if (evalsAfter(s, plan)) n++;
  return n;
}

/** Times the progress reports of one job (run index and step within the run) and estimates the time left. */
export class LookTimer {
  private readonly started: number;
  private last: { at: number; cell: number; step: number } | null = null;
  private firstAt: number | null = null;
  private stepSeconds = 0;
  private steps = 0;
  private evalSeconds: number[] = [];
  /** Gaps that held an evaluation, kept until the step time is known well enough to subtract it. */
  private evalGaps: { seconds: number; steps: number }[] = [];

  constructor(private readonly plan: LookPlan, now: number) {
    this.started = now;
  }

  /** A progress report: run `cell` (0-based, within this job) reached `step` at time `now` (ms). */
  report(cell: number, step: number, now: number): void {
    if (step < 1) return;
    const prev = this.last;
    this.last = { at: now, cell, step };
    if (!prev) {
      this.firstAt = now;
      return;
    }
    if (prev.cell !== cell || step <= prev.step) return;
    const seconds = (now - prev.at) / 1000;
    const steps = step - prev.step;
    let evals = 0;
    for (let s = prev.step; s < step; s++) if (evalsAfter(s, this.plan)) evals++;
    if (evals === 0) {
      this.stepSeconds += seconds;
      this.steps += steps;
    } else {
      this.evalGaps.push({ seconds: seconds / evals, steps: steps / evals });
    }
  }

  estimate(): LookEstimate | null {
    if (!this.last || this.steps < 2 || this.firstAt === null) return null;
    const perStep = this.stepSeconds / this.steps;
    const measured = this.evalGaps.map((g) => Math.max(0, g.seconds - g.steps * perStep));
    // Before an evaluation was timed between steps: the start-up (base load, step-0 evaluation, first step) bounds it from above.
    const startup = Math.max(0, (this.firstAt - this.started) / 1000 - perStep);
    const perEval = measured.length ? measured.reduce((a, b) => a + b, 0) / measured.length : startup;
    const { cell, step } = this.last;
    const laterRuns = this.plan.cells - cell - 1;
    const stepsLeft = this.plan.steps - step + laterRuns * this.plan.steps;
    const evalsPerRun = evalsLeftInRun(0, this.plan) + (this.plan.evalEvery > 0 ? 1 : 0);
    const evalsLeft = (evalsAfter(step, this.plan) ? 1 : 0) + evalsLeftInRun(step, this.plan) + laterRuns * evalsPerRun;
    return { secondsLeft: stepsLeft * perStep + evalsLeft * perEval, stepsOnlySeconds: stepsLeft * perStep, secondsPerStep: perStep, timedSteps: this.steps, secondsPerEval: perEval, evalMeasured: measured.length > 0 };
  }
}
