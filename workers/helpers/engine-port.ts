// The slice of the engine the worker jobs use; load-engine.ts maps the engine's exports onto it.
import type { TokenizedExample } from '../../src/engine/data/example';
import type { ExampleStream } from '../../src/engine/train/trainer';
import type { LoraConfig } from '../../src/engine/lora/config';
import type { EvalModel } from '../../src/engine/eval/types';
import type { ModelConfig, WeightMap } from '../../src/engine/models/config';
import type { TrainHyperparameters } from '../../src/contract';
import type { EngineTeacher, EngineTeacherSetup } from '../../src/engine/teacher/engine-teacher';

export interface ModelSetup {
  config: ModelConfig;
  /** Seed of the base weights when `weights` is absent: same seed → same base model. */
  initSeed: number;
  /** Pretrained base weights (a shipped Tiny World model); shared, never modified by the jobs. */
  weights?: WeightMap;
  method: 'lora' | 'full';
  lora: LoraConfig;
}

export interface TrainerSetup extends ModelSetup {
  hyper: TrainHyperparameters;
  /** A dataset's train split, or (pretraining) a stream of freshly generated examples. */
  train: TokenizedExample[] | ExampleStream;
  /** An engine checkpoint (plain data) to continue from. */
  checkpoint?: unknown;
  /** Start LoRA from these PEFT-named weights (an imported adapter, which has no trainer checkpoint). */
  initialAdapter?: WeightMap;
}

export interface StepResult {
  /** The step number just completed (1-based). */
  step: number;
  loss: number;
  tokenAccuracy?: number;
  learningRate: number;
  /** Target tokens processed by this step (for tokens/s). */
  tokens: number;
  /** WebGPU: the most GPU buffer bytes in use at once during the step, as measured. */
  peakDeviceBytes?: number;
  /** DPO runs: the step's mean rewards, reward accuracy and margin (TRL's rewards/*). */
  dpo?: { rewardChosen: number; rewardRejected: number; rewardAccuracy: number; rewardMargin: number };
}

export interface PortTrainer {
  /** Steps completed so far (continues from the checkpoint's step). */
  readonly step: number;
  /** One optimizer step; throws NonFiniteLossError before any weight is updated if loss or gradients go NaN/Inf. */
  trainStep(): Promise<StepResult>;
  evaluate(examples: TokenizedExample[]): Promise<{ loss: number; tokenAccuracy: number }>;
  checkpoint(): Promise<unknown>;
  /** The model being trained (with its LoRA adapter, if any) as the eval harness's model. */
  evalModel(): EvalModel;
  dispose(): void;
}

export interface GenerateSetup extends ModelSetup {
  /** The fine-tuned weights (PEFT names for LoRA, HF names for full); null → the base model. */
  tuned: WeightMap | null;
  promptIds: number[];
  maxTokens: number;
  temperature: number;
  seed: number;
  /** Generation ends at any of these ids (EOS, a chat template's end-of-turn). */
  stopIds: number[];
  /** Only ids below this are generated (the tokenizer's size, when the model's vocabulary is padded past it). */
  vocabLimit?: number;
  onToken: (id: number) => void;
  signal: AbortSignal;
}

/** A run's base or fine-tuned model as a Teacher: everything EngineTeacherSetup asks but the model and adapter, which the port builds. */
export interface TeacherSetup extends ModelSetup, Omit<EngineTeacherSetup, 'model' | 'lora'> {
  /** The fine-tuned weights (PEFT names for LoRA, HF names for full); null → the base model. */
  tuned: WeightMap | null;
}

export interface PortTeacher {
  teacher: EngineTeacher;
  dispose(): void;
}

export interface EnginePort {
  createTrainer(setup: TrainerSetup): Promise<PortTrainer>;
  generate(setup: GenerateSetup): Promise<number[]>;
  createTeacher(setup: TeacherSetup): PortTeacher;
}
