// What the user sets for a run (TrainHyperparameters, stored with it) and the one converter to what the trainer takes (TrainOptions).
import type { LongRowPolicy } from '../data/long-rows';
import type { LoraConfig } from '../lora/config';
import type { WeightMap } from '../models/config';
import { defaultTrainOptions, type TrainOptions } from './options';
import type { ScaleOutRun } from '../peft/scale-out';

/** A run's training settings as the Train page, the experiments and an imported adapter record them. */
export interface TrainHyperparameters {
  method: 'lora' | 'full';
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  schedule: 'constant' | 'linear' | 'cosine';
  weightDecay: number;
  gradClip: number;
  gradAccumulation: number;
  /** useRslora: scale α/√r (PEFT's use_rslora); only adapters imported from elsewhere set it. */
  lora: { r: number; alpha: number; dropout: number; targetModules: string[]; useRslora?: boolean };
  seed: number;
  checkpointEvery: number;
  evalEvery: number;
  /**
   * LoRA only: the frozen base weights in 'f16' (half the bytes per pass on WebGPU, f32 accumulation) or 'f32'.
   * Absent in runs made before the option existed, which trained on the f32 base.
   */
  baseWeights?: 'f16' | 'f32';
  /** Tiny World bases: items per skill of the exact-match skill probes run every evalEvery steps (0 = off). */
  probeItems?: number;
  /** Training rows longer than the model's context: the user's choice on the Train page. Absent in older runs: 'truncate'. */
  longRows?: LongRowPolicy;
  /** Recompute each block's activations in the backward pass (less memory, ~⅓ more compute). Absent in older runs: off. */
  gradientCheckpointing?: boolean;
  /** Gradient-ascent unlearning (an approximation): the run raises its loss on its examples. Absent: ordinary descent. */
  gradientAscent?: boolean;
  /** 'sft' (absent in older runs) or 'dpo' (preference pairs, LoRA only; the reference is the base with the adapter off). */
  objective?: 'sft' | 'dpo';
  /** DPO's β (TRL's beta); absent: 0.1. */
  dpoBeta?: number;
  /** DPO's label smoothing (TRL's label_smoothing, cDPO); absent: 0. */
  dpoLabelSmoothing?: number;
}

/** The run's LoRA settings as PEFT's LoraConfig, which the model, the adapter and the exported files take. */
export function loraConfigOf(lora: TrainHyperparameters['lora']): LoraConfig {
  return { r: lora.r, lora_alpha: lora.alpha, lora_dropout: lora.dropout, target_modules: lora.targetModules, ...(lora.useRslora && { use_rslora: true }) };
}

/**
 * The trainer's options for a run's settings: the one place field names change (learningRate → lr, gradClip →
 * maxGradNorm, …). `maxSeqLen` is the model's context; `initialAdapter` starts LoRA from imported weights.
 */
export function trainOptionsOf(hyper: TrainHyperparameters, maxSeqLen: number, initialAdapter?: WeightMap): TrainOptions {
  return {
    method: hyper.method,
    lora: hyper.method === 'lora' ? loraConfigOf(hyper.lora) : undefined,
    lr: hyper.learningRate,
    weightDecay: hyper.weightDecay,
    betas: [defaultTrainOptions.betas[0], defaultTrainOptions.betas[1]],
    eps: defaultTrainOptions.eps,
    warmupSteps: hyper.warmupSteps,
    schedule: hyper.schedule,
    maxSteps: hyper.steps,
    batchSize: hyper.batchSize,
    gradAccumSteps: hyper.gradAccumulation,
    maxGradNorm: hyper.gradClip,
    seed: hyper.seed,
    maxSeqLen,
    initialAdapter,
    // Runs stored before this setting existed trained on the f32 base; full fine-tuning trains the base, always f32.
    baseWeights: hyper.method === 'lora' ? (hyper.baseWeights ?? 'f32') : 'f32',
    gradientCheckpointing: hyper.gradientCheckpointing ?? false,
    ...(hyper.gradientAscent && { gradientAscent: true }),
    objective: hyper.objective ?? 'sft',
    dpoBeta: hyper.dpoBeta ?? 0.1,
    dpoLabelSmoothing: hyper.dpoLabelSmoothing ?? 0,
  };
}

/** The same settings as the TRL scale-out bundle states them (its LoRA, data and names are the caller's). */
export function scaleOutSettingsOf(
  h: TrainHyperparameters,
): Pick<ScaleOutRun, 'learningRate' | 'maxSteps' | 'batchSize' | 'gradAccumSteps' | 'warmupSteps' | 'schedule' | 'weightDecay' | 'maxGradNorm' | 'seed' | 'gradientCheckpointing' | 'objective' | 'dpoBeta' | 'dpoLabelSmoothing'> {
  return {
    learningRate: h.learningRate,
    maxSteps: h.steps,
    batchSize: h.batchSize,
    gradAccumSteps: h.gradAccumulation,
    warmupSteps: h.warmupSteps,
    schedule: h.schedule,
    weightDecay: h.weightDecay,
    maxGradNorm: h.gradClip,
    seed: h.seed,
    gradientCheckpointing: h.gradientCheckpointing ?? false,
    objective: h.objective ?? 'sft',
    dpoBeta: h.dpoBeta ?? 0.1,
    dpoLabelSmoothing: h.dpoLabelSmoothing ?? 0,
  };
}
