// Exposure ranking's cost (issue 15): 10^5 canary candidates ranked exactly on the bench's trained tiny GPT, timed
// against training steps of the same model on the same adapter, interleaved.
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
  /** Train steps of the same model timed between the rankings (one before each). */
  stepsMs: number[];
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
  previous: { ms: number; rankingsMs: number[]; dispatches: number; readbacks: number; rank: number };
}

/** A character tokenizer onto the bench model's vocabulary: every option of the digit slot is one token. */
function benchTokenizer(shape: BenchShape) {
  return { encode: (text: string) => [...text].map((c) => c.codePointAt(0)! % shape.vocab) };
}

/** One untimed ranking, then `rounds` × (train step, ranking), each timed alone. */
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
  const stepsMs: number[] = [];
  let last = first;
  let lastPrevious = firstPrevious;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await side.step();
    stepsMs.push(performance.now() - t0);
    // Alternate which path runs first in the round, so neither always follows the step.
    for (const fast of i % 2 === 0 ? [true, false] : [false, true]) {
      if (fast) last = await rank(true);
      else lastPrevious = await rank(false);
    }
    rankingsMs.push(last.ms);
    previousMs.push(lastPrevious.ms);
    log(`exposure ranking round ${i + 1}: step ${stepsMs[i].toFixed(0)} ms, ranking ${last.ms.toFixed(0)} ms (${(last.ms / stepsMs[i]).toFixed(2)}× the step), fast paths off ${lastPrevious.ms.toFixed(0)} ms`);
  }
  if (last.result.rank !== lastPrevious.result.rank) log(`WARNING: the two paths ranked the secret ${last.result.rank} and ${lastPrevious.result.rank}`);
  return {
    template: RANK_TEMPLATE,
    candidates: last.result.candidates,
    ms: median(rankingsMs),
    firstMs: first.ms,
    rankingsMs,
    stepsMs,
    forwardRows: last.result.forwardRows,
    dispatches: last.dispatches,
    readbacks: last.readbacks,
    rank: last.result.rank,
    previous: { ms: median(previousMs), rankingsMs: previousMs, dispatches: lastPrevious.dispatches, readbacks: lastPrevious.readbacks, rank: lastPrevious.result.rank },
  };
}
