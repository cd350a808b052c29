// Exposure ranking's cost (issue 15): 10^5 canary candidates ranked exactly on the bench's trained tiny GPT, timed
// against training steps of the same model on the same adapter, paired round by round.
import { setExposureFastPaths } from '../../engine/backend/ops';
import { measureExposure, privacyModelOf } from '../../engine/privacy/index';
import { dispatchCount, readbackCount } from './dispatch-counter';
import type { EngineSide } from './engine-bench';
import { median } from './measure';
import type { BenchShape } from './shapes';

/** The example canary: 10^5 candidates, the prefix tree's 11,111 nodes (the leaves read off their parents). */
export const RANK_TEMPLATE = 'my account pin is {ddddd}';
const SECRET = [3, 1, 4, 1, 5];

export interface ExposureRankMeasurement {
  template: string;
  candidates: number;
  /** Median of the timed rankings (after one untimed, which compiles the shaders). */
  ms: number;
  firstMs: number;
  rankingsMs: number[];
  /** Train steps of the same model timed in each round, STEPS_AROUND before its rankings and STEPS_AROUND after. */
  roundStepsMs: number[][];
  /** Each round's ranking ÷ the median of that round's steps: the paired ratio, free of drift between minutes. */
  roundRatios: number[];
  /** The key: the median of roundRatios (target ≤ 10), and their spread. */
  overStep: number;
  spread: { min: number; max: number };
  /** Tree nodes fed through the model, GPU dispatches and buffer readbacks of one ranking. */
  forwardRows: number;
  dispatches: number;
  readbacks: number;
  rank: number;
  /**
   * The same ranking with the fast paths off (setExposureFastPaths(false): each tree level gathers its parents' tail
   * caches and concatenates the new position, stock log-softmax), timed in the same rounds (before or after the
   * current path, alternating), so before/after share the minutes of load.
   */
  previous: { ms: number; rankingsMs: number[]; roundRatios: number[]; overStep: number; dispatches: number; readbacks: number; rank: number };
}

/** A character tokenizer onto the bench model's vocabulary: every option of the digit slot is one token. */
function benchTokenizer(shape: BenchShape) {
  return { encode: (text: string) => [...text].map((c) => c.codePointAt(0)! % shape.vocab) };
}

/** Train steps timed on each side of a round's rankings (the round's step time is the median of the 2 × this). */
export const STEPS_AROUND = 2;

/**
 * One untimed ranking, then `rounds` rounds of (STEPS_AROUND train steps, the rankings, STEPS_AROUND train steps), each
 * timed alone; a round's ratio divides its ranking by the median of its own steps, so both share the round's load.
 */
export async function benchExposureRank(side: EngineSide, shape: BenchShape, rounds: number, log: (line: string) => void): Promise<ExposureRankMeasurement> {
  const tokenizer = benchTokenizer(shape);
  const rank = async (fast = true) => {
    // The adapter as trained so far: the ranking scores the fine-tuned model, LoRA on, like the privacy report.
    setExposureFastPaths(fast);
    try {
      const t0 = performance.now();
      const d0 = dispatchCount();
      const r0 = readbackCount();
      const result = await measureExposure(privacyModelOf(side.model, side.lora), tokenizer, RANK_TEMPLATE, SECRET);
      return { ms: performance.now() - t0, dispatches: dispatchCount() - d0, readbacks: readbackCount() - r0, result };
    } finally {
      setExposureFastPaths(true);
    }
  };
  const first = await rank();
  log(`exposure ranking of ${first.result.candidates} candidates (${first.result.forwardRows} tree rows): first ${first.ms.toFixed(0)} ms, ${first.dispatches} dispatches, ${first.readbacks} readbacks`);
  const firstPrevious = await rank(false);
  log(`exposure ranking, fast paths off: first ${firstPrevious.ms.toFixed(0)} ms, ${firstPrevious.dispatches} dispatches, ${firstPrevious.readbacks} readbacks`);
  const rankingsMs: number[] = [];
  const previousMs: number[] = [];
  const roundStepsMs: number[][] = [];
  const roundRatios: number[] = [];
  const timeSteps = async (into: number[]) => {
    for (let k = 0; k < STEPS_AROUND; k++) {
      const t0 = performance.now();
      await side.step();
      into.push(performance.now() - t0);
    }
  };
  let last = first;
  let lastPrevious = firstPrevious;
  for (let i = 0; i < rounds; i++) {
    const steps: number[] = [];
    await timeSteps(steps);
    // Alternate which path runs first in the round, so neither always follows the steps.
    for (const fast of i % 2 === 0 ? [true, false] : [false, true]) {
      if (fast) last = await rank(true);
      else lastPrevious = await rank(false);
    }
    await timeSteps(steps);
    rankingsMs.push(last.ms);
    previousMs.push(lastPrevious.ms);
    roundStepsMs.push(steps);
    roundRatios.push(last.ms / median(steps));
    log(`exposure ranking round ${i + 1}: steps ${steps.map((t) => t.toFixed(0)).join(', ')} ms, ranking ${last.ms.toFixed(0)} ms (${roundRatios[i].toFixed(2)}× the round's median step), fast paths off ${lastPrevious.ms.toFixed(0)} ms`);
  }
  if (last.result.rank !== lastPrevious.result.rank) log(`WARNING: the two paths ranked the secret ${last.result.rank} and ${lastPrevious.result.rank}`);
  return {
    template: RANK_TEMPLATE,
    candidates: last.result.candidates,
    ms: median(rankingsMs),
    firstMs: first.ms,
    rankingsMs,
    roundStepsMs,
    roundRatios,
    overStep: median(roundRatios),
    spread: { min: Math.min(...roundRatios), max: Math.max(...roundRatios) },
    forwardRows: last.result.forwardRows,
    dispatches: last.dispatches,
    readbacks: last.readbacks,
    rank: last.result.rank,
    previous: { ms: median(previousMs), rankingsMs: previousMs, roundRatios: previousMs.map((ms, i) => ms / median(roundStepsMs[i])), overStep: median(previousMs.map((ms, i) => ms / median(roundStepsMs[i]))), dispatches: lastPrevious.dispatches, readbacks: lastPrevious.readbacks, rank: lastPrevious.result.rank },
  };
}
