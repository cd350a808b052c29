// Learning-rate schedules with linear warmup: constant, linear decay, cosine decay (HF shapes, step counted from 0).
import type { TrainOptions } from './options';

/**
 * The learning rate of optimizer step `step` (0-based), exactly as Hugging Face's schedulers give it (so a TRL export
 * trains the same schedule): warmup ramps step/warmup, so the first step of a warmup has rate 0; afterwards progress
 * p = (step − warmup)/(maxSteps − warmup) gives lr·(1−p) (linear) or lr·½(1+cos πp).
 */
export function learningRateAt(options: Pick<TrainOptions, 'lr' | 'warmupSteps' | 'schedule' | 'maxSteps'>, step: number): number {
  const { lr, warmupSteps, schedule, maxSteps } = options;
  if (step < warmupSteps) return (lr * step) / warmupSteps;
  if (schedule === 'constant') return lr;
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, maxSteps - warmupSteps));
  if (schedule === 'linear') return lr * Math.max(0, 1 - progress);
  return lr * 0.5 * (1 + Math.cos(Math.PI * progress));
}
