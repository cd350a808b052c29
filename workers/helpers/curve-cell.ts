// One learning-curve cell's run: fine-tune the base on the cell's examples with its settings, then score the held-out
// rows item by item. Shared by the curve job and the Node script that measures curves for docs/results.md.
import type { TokenizedExample } from '../../src/engine/data/example';
import { scoreHeldOut, type HeldOutScores } from '../../src/engine/experiments/curve/score';
import type { CellTiming } from '../../src/engine/experiments/types';
import type { TrainHyperparameters } from '../../src/engine/train/settings';
import type { EvalModel } from '../../src/engine/eval';
import type { EnginePort, ModelSetup } from './engine-port';

export interface CurveCellRun {
  losses: number[];
  timing: CellTiming;
  heldOut: HeldOutScores;
}

export async function runCurveCell(
  engine: EnginePort,
  setup: ModelSetup,
  hyper: TrainHyperparameters,
  train: TokenizedExample[],
  heldOut: TokenizedExample[],
  exact: boolean,
  options: { signal?: AbortSignal; checkStop?: () => void; onStep?: (step: number, loss: number, timing: CellTiming) => void; onTrained?: (model: EvalModel, step: number) => Promise<void> } = {},
): Promise<CurveCellRun> {
  const t0 = performance.now();
  const trainer = await engine.createTrainer({ ...setup, hyper, train });
  const timing: CellTiming = { steps: 0, trainMs: 0, evalPoints: 0, evalMs: 0, otherMs: performance.now() - t0 };
  const losses: number[] = [];
  try {
    while (trainer.step < hyper.steps) {
      options.checkStop?.();
      const s0 = performance.now();
      const result = await trainer.trainStep();
      timing.steps++;
      timing.trainMs += performance.now() - s0;
      losses.push(result.loss);
      options.onStep?.(result.step, result.loss, { ...timing });
    }
    const e0 = performance.now();
    const scores = await scoreHeldOut(trainer.evalModel(), heldOut, exact, options.signal);
    timing.evalPoints = 1;
    timing.evalMs = performance.now() - e0;
    // The fine-tuned model before it is freed (the sweep's regression suite scores it here; not counted as eval time).
    await options.onTrained?.(trainer.evalModel(), trainer.step);
    timing.otherMs = Math.max(0, performance.now() - t0 - timing.trainMs - timing.evalMs);
    return { losses, timing, heldOut: scores };
  } finally {
    trainer.dispose();
  }
}
