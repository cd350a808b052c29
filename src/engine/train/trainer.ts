// The trainer: one object over a training run (setup in trainer-setup.ts, the step in train-step.ts, evaluation in
// trainer-eval.ts, checkpoints in trainer-checkpoint.ts): seeded batches, weighted CE, accumulation, clipping, AdamW.
import type { TokenizedExample } from '../data/example';
import type { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import type { WeightMap } from '../models/config';
import type { TrainerCheckpoint } from './checkpoint';
import type { TrainOptions } from './options';
import { trainStep, type StepStats } from './train-step';
import { checkpointOf } from './trainer-checkpoint';
import { evaluateLoss, type EvalResult } from './trainer-eval';
import { setupTraining, type ExampleStream } from './trainer-setup';

export type { StepStats } from './train-step';
export type { EvalResult } from './trainer-eval';
export type { ExampleStream } from './trainer-setup';

export interface Trainer {
  readonly options: TrainOptions;
  /** The adapter being trained (null for full fine-tuning); disposed with the trainer. */
  readonly lora: LoraAdapter | null;
  readonly stepCount: number;
  /** Settles when every forward pass of the model computes what training does (the f16 base is in place). */
  readonly ready: Promise<void>;
  step(): Promise<StepStats>;
  evaluate(examples: TokenizedExample[]): Promise<EvalResult>;
  checkpoint(): Promise<TrainerCheckpoint>;
  /** PEFT-named adapter weights for LoRA; every model weight (HF names) for full fine-tuning. */
  adapterWeights(): WeightMap;
  dispose(): void;
}

export function createTrainer(model: CausalLM, data: TokenizedExample[] | ExampleStream, options: TrainOptions, resumeFrom?: TrainerCheckpoint): Trainer {
  const state = setupTraining(model, data, options, resumeFrom);
  const { opts, lora, halfBase } = state;
  let disposed = false;
  const alive = () => {
    if (disposed) throw new Error('This trainer was disposed; create a new one.');
    return state;
  };

  return {
    options: opts,
    lora,
    get stepCount() {
      return state.stepCount;
    },
    ready: halfBase ? halfBase.ready : Promise.resolve(),
    step: async () => trainStep(alive()),
    evaluate: async (examples) => evaluateLoss(alive(), examples),
    checkpoint: async () => checkpointOf(alive()),
    adapterWeights: () => (lora ? lora.exportWeights() : model.exportWeights()),
    dispose() {
      if (disposed) return;
      disposed = true;
      halfBase?.release();
      state.moments.m.dispose();
      state.moments.v.dispose();
      lora?.dispose();
      state.referenceLora?.dispose();
    },
  };
}
