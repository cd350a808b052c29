// Timing helpers shared by the baseline and engine measurements: median of timed steps, dispatches per step, decode rate.
import { dispatchCount } from './dispatch-counter';
import type { StepMeasurement } from './report';

/** One implementation under test (engine or baseline): a train step that waits for its GPU work, and a decode. */
export interface BenchSide {
  label: string;
  /** One train step; resolves with its loss once read back (so the GPU work is done). */
  step(): Promise<number>;
  /** Greedy decode of the bench prompt; resolves with the new token ids. */
  decode(): Promise<number[]>;
  dispose(): void;
}

export interface StepTimingOptions {
  /** Steps after the first (which compiles shaders) and before timing starts. */
  warmupSteps: number;
  timedSteps: number;
  log: (line: string) => void;
}

export type StepTimes = Omit<StepMeasurement, 'decodeTokensPerSec'>;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Times the sides' steps interleaved (A, B, B, A, …, each round rotated) so that all see the same load on a shared machine: first
 * steps (shader compilation) one after the other, then warm-up rounds, then timed rounds; per side the median
 * of its timed steps, with the compute dispatches counted during each of them.
 */
export async function timeStepsInterleaved(sides: BenchSide[], opts: StepTimingOptions): Promise<StepTimes[]> {
  const firstStepMs: number[] = [];
  for (const side of sides) {
    const t0 = performance.now();
    const loss = await side.step();
    firstStepMs.push(performance.now() - t0);
    opts.log(`${side.label}: first step ${firstStepMs[firstStepMs.length - 1].toFixed(0)} ms (loss ${loss.toFixed(4)})`);
  }
  for (let i = 0; i < opts.warmupSteps; i++) for (const side of sides) await side.step();
  const times: number[][] = sides.map(() => []);
  const dispatches: number[][] = sides.map(() => []);
  for (let i = 0; i < opts.timedSteps; i++) {
    // Each round starts with the next side, so no side always follows the same one (caches, clocks, load).
    for (let j = 0; j < sides.length; j++) {
      const k = (i + j) % sides.length;
      const side = sides[k];
      const d0 = dispatchCount();
      const s0 = performance.now();
      const loss = await side.step();
      times[k].push(performance.now() - s0);
      dispatches[k].push(dispatchCount() - d0);
      opts.log(`${side.label}: step ${i + 1}/${opts.timedSteps} ${times[k][i].toFixed(0)} ms, ${dispatches[k][i]} dispatches, loss ${loss.toFixed(4)}`);
      if (!Number.isFinite(loss)) throw new Error(`${side.label}: loss is ${loss}; the step is broken, its timing would mean nothing`);
    }
  }
  return sides.map((_, k) => ({ msPerStep: median(times[k]), firstStepMs: firstStepMs[k], dispatchesPerStep: Math.round(median(dispatches[k])) }));
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
