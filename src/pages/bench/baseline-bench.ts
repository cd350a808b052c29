// Measures the stock-tfjs baseline (baseline-gpt.ts): LoRA train step timing, dispatches, and cache-free decode speed.
import { tf } from '../../engine/backend/tf';
import { BaselineGpt, baselineTrainStep } from './baseline-gpt';
import { timeDecode, timeSteps } from './measure';
import type { StepMeasurement } from './report';
import { BENCH_LORA, type BenchShape } from './shapes';

export interface RunOptions {
  warmupSteps: number;
  timedSteps: number;
  decode: boolean;
  log: (line: string) => void;
}

/** Deterministic token ids [B, T+1] in [0, vocab). */
export function benchBatch(shape: BenchShape, seed = 7): number[][] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s % shape.vocab);
  return Array.from({ length: shape.batch }, () => Array.from({ length: shape.seq + 1 }, next));
}

export function benchPrompt(shape: BenchShape, seed = 11): number[] {
  return benchBatch({ ...shape, batch: 1, seq: shape.decodePrompt - 1 }, seed)[0];
}

export async function measureBaseline(shape: BenchShape, opts: RunOptions): Promise<StepMeasurement> {
  const label = `baseline ${shape.model}`;
  const tensorsBefore = tf.memory().numTensors;
  const model = new BaselineGpt(shape, BENCH_LORA);
  const optimizer = tf.train.adam(1e-3);
  const batch = tf.tensor2d(benchBatch(shape), [shape.batch, shape.seq + 1], 'int32');
  try {
    const steps = await timeSteps(() => baselineTrainStep(model, optimizer, batch), { ...opts, label });
    const decodeTokensPerSec = opts.decode
      ? await timeDecode(() => model.greedyDecode(benchPrompt(shape), shape.decodeTokens), shape.decodeTokens, opts.log, `${label} decode (no KV cache)`)
      : null;
    return { ...steps, decodeTokensPerSec };
  } finally {
    batch.dispose();
    optimizer.dispose();
    model.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked) opts.log(`${label}: warning, ${leaked} tensors left alive`);
  }
}
