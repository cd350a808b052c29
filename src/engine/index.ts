// The engine's public API: what the worker calls to build models, train, generate and score.
export { initBackend, currentBackend, onDeviceLost, assertBackendAlive, type BackendInfo, type BackendName } from './backend/init';
export { createModel, CausalLM, type ForwardOptions } from './models/causal-lm';
export type { ModelConfig, Gpt2Config, LlamaConfig, WeightMap, NamedArray } from './models/config';
export { modelDims, type ModelDims } from './models/dims';
export { KvCache } from './models/kv-cache';
export { LoraAdapter, isTargeted, loraAName, loraBName } from './lora/adapter';
export { loraScaling, type LoraConfig } from './lora/config';
export { mergeLora, unmergeLora } from './lora/merge';
export { createTrainer, type ExampleStream, type Trainer, type StepStats, type EvalResult } from './train/trainer';
export { defaultTrainOptions, type TrainOptions, type LrSchedule } from './train/options';
export { checkpointToBytes, checkpointFromBytes, type TrainerCheckpoint } from './train/checkpoint';
export { learningRateAt } from './train/schedule';
export { estimateTrainMemory, type TrainMemoryEstimate } from './train/memory';
export { generate, type GenerateOptions, type GenerateResult, type FinishReason } from './generate/generate';
export { scoreTokens, scoreBatch, type TokenScores } from './generate/score';
export { restoreForInference } from './train/restore';
export type { TokenizedExample } from './data/example';
