// Memory and time estimate before a run starts, from the model shape and (when known) this machine's measured speed.
import type { TinyModelSpec, TrainHyperparameters } from '../../storage/types';
import { gpt2ParameterCount, loraParameterCount } from './models.svelte';

export interface TrainEstimate {
  parameters: number;
  trainable: number;
  /** Weights + gradients + AdamW moments + activations of one batch, float32; plus the f16 copy of a LoRA run's frozen base. */
  memoryBytes: number;
  tokensPerStep: number;
  flopsPerStep: number;
  /** From the tokens/s this machine measured in an earlier run of the same model shape; null before any run. */
  seconds: number | null;
}

export function estimateTraining(spec: TinyModelSpec, vocab: number, hyper: TrainHyperparameters, measuredTokensPerSec: number | null): TrainEstimate {
  const parameters = spec.numParams ?? gpt2ParameterCount(spec, vocab);
  const trainable = hyper.method === 'full' ? parameters : loraParameterCount(spec, hyper.lora.r, hyper.lora.targetModules);
  const tokensPerStep = hyper.batchSize * hyper.gradAccumulation * spec.n_positions;
  const d = spec.n_embd;
  // Per token and layer: ~16 saved d-wide activations and the attention matrix per head; logits and their softmax.
  const activations = hyper.batchSize * spec.n_positions * (spec.n_layer * (16 * d + spec.n_head * spec.n_positions) + 3 * vocab);
  const halfBase = hyper.method === 'lora' && hyper.baseWeights === 'f16' ? 2 * linearWeightCount(spec) : 0;
  const memoryBytes = 4 * (parameters + trainable * 3 + activations) + halfBase;
  const flopsPerStep = 6 * parameters * tokensPerStep;
  const seconds = measuredTokensPerSec ? (hyper.steps * tokensPerStep) / measuredTokensPerSec : null;
  return { parameters, trainable, memoryBytes, tokensPerStep, flopsPerStep, seconds };
}

/** Weights of all linear layers (what an f16 base copies): from the loaded model's modules, else GPT-2's 12·d² per layer. */
function linearWeightCount(spec: TinyModelSpec): number {
  const perLayer = spec.linearModules ? spec.linearModules.reduce((n, m) => n + m.inFeatures * m.outFeatures, 0) : 12 * spec.n_embd * spec.n_embd;
  return spec.n_layer * perLayer;
}
