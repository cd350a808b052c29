// A sweep's time estimate from cells measured on this device: ms per training step (same method and batch size
// when measured, else scaled by batch size), ms per eval point, and the per-run setup time. Medians over cells, so a
// first cell slowed by shader compilation or a busy moment does not set the pace of the rest.
import type { CellSettings, CellTiming } from './types';

export interface MeasuredCell {
  settings: Pick<CellSettings, 'rank' | 'batchSize' | 'base'>;
  timing: CellTiming;
}

export interface SweepEstimate {
  ms: number;
  /** False while no eval point has been timed yet (the estimate then leaves out scoring time). */
  evalsTimed: boolean;
}

/** Eval points a cell scores: step 0 and every evalEvery-th step and the last, or only the last when evalEvery is 0. */
export function evalPointsOf(steps: number, evalEvery: number): number {
  if (evalEvery <= 0) return 1;
  return 1 + Math.floor(steps / evalEvery) + (steps % evalEvery === 0 ? 0 : 1);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** ms per training step of a cell with these settings, or null when nothing was measured. */
export function stepMsOf(settings: Pick<CellSettings, 'rank' | 'batchSize' | 'base'>, measured: MeasuredCell[]): number | null {
  const timed = measured.filter((m) => m.timing.steps > 0);
  const alike = timed.filter((m) => (m.settings.rank === 0) === (settings.rank === 0) && m.settings.batchSize === settings.batchSize);
  // A Capability ceiling cell's step costs what its own base's steps cost (the family spans 12× in parameters).
  const sameBase = settings.base === undefined ? [] : alike.filter((m) => m.settings.base === settings.base);
  if (sameBase.length) return median(sameBase.map((m) => m.timing.trainMs / m.timing.steps));
  if (alike.length) return median(alike.map((m) => m.timing.trainMs / m.timing.steps));
  if (!timed.length) return null;
  // A step's cost grows about linearly with the examples in its batch.
  return median(timed.map((m) => m.timing.trainMs / (m.timing.steps * m.settings.batchSize))) * settings.batchSize;
}

function evalMsOf(measured: MeasuredCell[]): number | null {
  const timed = measured.filter((m) => m.timing.evalPoints > 0);
  return timed.length ? median(timed.map((m) => m.timing.evalMs / m.timing.evalPoints)) : null;
}

export interface EstimateInput {
  /** Cells still to run (not counting the one running now). */
  todo: { settings: Pick<CellSettings, 'rank' | 'batchSize' | 'steps' | 'base'> }[];
  evalEvery: number;
  /** Finished cells of this base and eval set, timed on this device. */
  measured: MeasuredCell[];
  /** The cell running now and its timing so far. */
  current?: { settings: Pick<CellSettings, 'rank' | 'batchSize' | 'steps' | 'base'>; timing: CellTiming };
}

/** Time left for the sweep, or null when no training step of a comparable run has been timed. */
export function estimateSweep({ todo, evalEvery, measured, current }: EstimateInput): SweepEstimate | null {
  const all = current ? [...measured, current] : measured;
  const evalMs = evalMsOf(all);
  const otherMs = measured.length ? median(measured.map((m) => m.timing.otherMs)) : 0;
  let ms = 0;
  let evalsLeft = 0;
  if (current) {
    const stepMs = stepMsOf(current.settings, all);
    if (stepMs === null) return null;
    ms += Math.max(0, current.settings.steps - current.timing.steps) * stepMs;
    evalsLeft += Math.max(0, evalPointsOf(current.settings.steps, evalEvery) - current.timing.evalPoints);
  }
  for (const cell of todo) {
    const stepMs = stepMsOf(cell.settings, all);
    if (stepMs === null) return null;
    ms += cell.settings.steps * stepMs + otherMs;
    evalsLeft += evalPointsOf(cell.settings.steps, evalEvery);
  }
  ms += evalsLeft * (evalMs ?? 0);
  return { ms, evalsTimed: evalMs !== null || evalsLeft === 0 };
}
