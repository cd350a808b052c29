// The stock-tfjs baseline (baseline-gpt.ts) as a bench side: its LoRA train step and its cache-free greedy decode.
import { tf } from '../../engine/backend/tf';
import { BaselineGpt, baselineTrainStep } from './baseline-gpt';
import type { BenchSide } from './measure';
import { BENCH_LORA, type BenchShape } from './shapes';

/** Deterministic token ids [B, T+1] in [0, vocab). */
export function benchBatch(shape: BenchShape, seed = 7): number[][] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s % shape.vocab);
  return Array.from({ length: shape.batch }, () => Array.from({ length: shape.seq + 1 }, next));
}

export function benchPrompt(shape: BenchShape, seed = 11): number[] {
  return benchBatch({ ...shape, batch: 1, seq: shape.decodePrompt - 1 }, seed)[0];
}

export function createBaselineSide(shape: BenchShape): BenchSide {
  const model = new BaselineGpt(shape, BENCH_LORA);
  const optimizer = tf.train.adam(1e-3);
  const batch = tf.tensor2d(benchBatch(shape), [shape.batch, shape.seq + 1], 'int32');
  return {
    label: `baseline ${shape.model}`,
    step: () => baselineTrainStep(model, optimizer, batch),
    decode: () => model.greedyDecode(benchPrompt(shape), shape.decodeTokens),
    dispose() {
      batch.dispose();
      optimizer.dispose();
      model.dispose();
    },
  };
}
