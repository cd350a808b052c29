// Measures the peak GPU bytes of real training steps (tfjs's buffer manager, through the memory meter) beside the estimate.
import { deviceMemoryMeter } from '../backend/memory-meter';
import type { TokenizedExample } from '../data/example';
import { createModel } from '../models/causal-lm';
import type { ModelConfig } from '../models/config';
import { estimateTrainMemory, type TrainMemoryEstimate } from './memory';
import type { TrainOptions } from './options';
import { createTrainer } from './trainer';

export interface MeasuredRun {
  estimate: TrainMemoryEstimate;
  /** Most GPU bytes in use during model creation, setup and the steps, over what was in use before. */
  peakBytes: number;
  /** The trainer's own record: the largest StepStats.peakDeviceBytes. */
  stepPeakBytes: number;
  /** estimate.total ÷ peakBytes. */
  ratio: number;
}

/** Full-length rows (every batch is [batchSize, maxSeqLen]) of ids below `vocab`. */
export function fullRows(count: number, length: number, vocab: number): TokenizedExample[] {
  return Array.from({ length: count }, (_, i) => {
    const ids = Array.from({ length: length + 1 }, (_, t) => (i * 7 + t * 3) % vocab);
    return { id: `e${i}`, ids, weights: ids.map(() => 1) };
  });
}

/** Creates the model, trains `steps` steps and reports the measured peak beside the estimate (needs WebGPU). */
export async function measureTraining(config: ModelConfig, options: TrainOptions, steps = 2): Promise<MeasuredRun> {
  const meter = deviceMemoryMeter();
  if (!meter) throw new Error('internal: measureTraining needs the WebGPU backend');
  const before = meter.read().liveBytes;
  meter.resetPeak();
  const model = createModel(config, { seed: 1 });
  let stepPeakBytes = 0;
  try {
    const vocab = 'vocab_size' in config ? config.vocab_size : 0;
    const trainer = createTrainer(model, fullRows(2 * options.batchSize, options.maxSeqLen, vocab), options);
    try {
      await trainer.ready;
      for (let i = 0; i < steps; i++) stepPeakBytes = Math.max(stepPeakBytes, (await trainer.step()).peakDeviceBytes ?? 0);
    } finally {
      trainer.dispose();
    }
  } finally {
    model.dispose();
  }
  const peakBytes = meter.read().peakLiveBytes - before;
  const estimate = estimateTrainMemory(config, options);
  return { estimate, peakBytes, stepPeakBytes, ratio: estimate.total / peakBytes };
}
