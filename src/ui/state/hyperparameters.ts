// Default training hyperparameters: sensible for the tiny seed-initialised models on a laptop.
import type { TrainHyperparameters } from '../../contract';

export function defaultHyperparameters(): TrainHyperparameters {
  return {
    method: 'lora',
    steps: 200,
    batchSize: 8,
    learningRate: 3e-3,
    warmupSteps: 10,
    schedule: 'cosine',
    weightDecay: 0,
    gradClip: 1,
    gradAccumulation: 1,
    lora: { r: 8, alpha: 16, dropout: 0, targetModules: ['c_attn', 'c_proj', 'c_fc'] },
    // The frozen base in f16 reads half the bytes per pass; full fine-tuning ignores it (always f32).
    baseWeights: 'f16',
    seed: 42,
    checkpointEvery: 20,
    evalEvery: 20,
    probeItems: 10,
    // Rows longer than the context keep their first tokens unless the user chooses otherwise (the Train page warns).
    longRows: 'truncate',
    // Keep every activation (fastest); checkpointing trades ~⅓ more compute for far less memory on large models.
    gradientCheckpointing: false,
    // SFT unless the dataset holds preference pairs and the user picks DPO (TRL's defaults for β and label smoothing).
    objective: 'sft',
    dpoBeta: 0.1,
    dpoLabelSmoothing: 0,
  };
}
