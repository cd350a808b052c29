// Timing helpers shared by the baseline and engine measurements: median of timed steps, dispatches per step, decode rate.
import { dispatchCount } from './dispatch-counter';
import type { StepMeasurement } from './report';

export interface StepTimingOptions {
  /** Steps after the first (which compiles shaders) and before timing starts. */
  warmupSteps: number;
  timedSteps: number;
  log: (line: string) => void;
  label: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Times `step` (which must wait for its own GPU work, e.g. by reading the loss back): the first step separately,
 * then warm-up steps, then the median of the timed steps. Dispatches are counted over the timed steps.
 */
export async function timeSteps(step: () => Promise<number>, opts: StepTimingOptions): Promise<Omit<StepMeasurement, 'decodeTokensPerSec'>> {
  const t0 = performance.now();
  const firstLoss = await step();
  const firstStepMs = performance.now() - t0;
  opts.log(`${opts.label}: first step ${firstStepMs.toFixed(0)} ms (loss ${firstLoss.toFixed(4)})`);
  for (let i = 0; i < opts.warmupSteps; i++) await step();
  const times: number[] = [];
  const dispatches: number[] = [];
  for (let i = 0; i < opts.timedSteps; i++) {
    const d0 = dispatchCount();
    const s0 = performance.now();
    const loss = await step();
    times.push(performance.now() - s0);
    dispatches.push(dispatchCount() - d0);
    opts.log(`${opts.label}: step ${i + 1}/${opts.timedSteps} ${times[i].toFixed(0)} ms, ${dispatches[i]} dispatches, loss ${loss.toFixed(4)}`);
    if (!Number.isFinite(loss)) throw new Error(`${opts.label}: loss is ${loss}; the step is broken, its timing would mean nothing`);
  }
  return { msPerStep: median(times), firstStepMs, dispatchesPerStep: Math.round(median(dispatches)) };
}

/** Runs `decode` once to compile every shape, then times a second identical run; returns new tokens per second. */
export async function timeDecode(decode: () => Promise<number[]>, newTokens: number, log: (line: string) => void, label: string): Promise<number> {
  const warm = await decode();
  const t0 = performance.now();
  const timed = await decode();
  const seconds = (performance.now() - t0) / 1000;
  if (timed.length !== newTokens) throw new Error(`${label}: decoded ${timed.length} tokens, expected ${newTokens}`);
  if (timed.join(',') !== warm.join(',')) log(`${label}: warning, greedy decode differed between runs`);
  const rate = newTokens / seconds;
  log(`${label}: ${newTokens} tokens in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} tokens/s`);
  return rate;
}
