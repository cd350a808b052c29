// An estimate of training memory (bytes) before a run starts: weights, gradients, AdamW moments and activations (activation-memory.ts).
import { activationBytes, type ActivationWidths } from '../activation-memory';
import type { ModelConfig } from '../models/config';
import { modelDims, type ModelDims } from '../models/dims';
import { isTargeted } from '../lora/targets';
import { linearModules, paramSpecs } from '../models/params';
import { defaultTrainOptions, type TrainOptions } from './options';

export interface TrainMemoryEstimate {
  /**
   * Base model weights on the GPU: float32, except that a LoRA run on an f16 base holds its linear weights as the f16
   * copies (2 bytes each): the trainer makes them from the f32 values before any pass, which then never reach the GPU.
   */
  weights: number;
  /** Trainable parameters (adapter or whole model), as a count. */
  trainableParams: number;
  /** Adapter weights, the trainables' gradients and their flat concatenation for the fused AdamW. */
  gradients: number;
  /** AdamW's two moments. */
  optimizer: number;
  /** Activations of one micro-batch at the peak of its backward pass (the largest term for long sequences). */
  activations: number;
  total: number;
}

const f32 = 4;

/** The widths of a model that decide its activation memory. */
export function activationWidths(d: ModelDims): ActivationWidths {
  // Gemma 3 and Qwen3 count as Llama-shaped blocks (the coefficients were fitted on Llama shapes) plus their q/k norms.
  const family = d.family === 'gpt2' ? 'gpt2' : 'llama';
  const qkNorm = d.qkNorm === true || d.family === 'gemma3';
  return { family, layers: d.layers, hidden: d.hidden, intermediate: d.intermediate, qWidth: d.heads * d.headDim, kvWidth: d.kvHeads * d.headDim, vocab: d.vocabSize, qkNorm };
}

export function estimateTrainMemory(config: ModelConfig, options: Partial<TrainOptions>): TrainMemoryEstimate {
  const o = { ...defaultTrainOptions, ...options };
  const d = modelDims(config);
  const totalParams = paramSpecs(d).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  let trainableParams = totalParams;
  let adapterBytes = 0;
  let loraDropoutWidth = 0;
  if (o.method === 'lora' && o.lora) {
    const r = o.lora.r;
    const targeted = linearModules(d).filter((m) => isTargeted(m.module, o.lora!.target_modules));
    trainableParams = targeted.reduce((n, m) => n + r * (m.inFeatures + m.outFeatures), 0);
    adapterBytes = trainableParams * f32;
    if (o.lora.lora_dropout > 0) loraDropoutWidth = targeted.reduce((n, m) => n + 2 * m.inFeatures, 0);
  }
  const T = Math.min(o.maxSeqLen, d.maxPositions);
  const activations = activationBytes(activationWidths(d), o.batchSize * T, o.gradientCheckpointing ?? false, loraDropoutWidth);
  const linearWeights = linearModules(d).reduce((n, m) => n + m.inFeatures * m.outFeatures, 0);
  const weights = o.method === 'lora' && o.baseWeights === 'f16' ? (totalParams - linearWeights) * f32 + 2 * linearWeights : totalParams * f32;
  // The gradients as tfjs returns them, and their concatenation into one flat vector for the fused AdamW.
  const gradients = adapterBytes + 2 * trainableParams * f32;
  const optimizer = 2 * trainableParams * f32;
  return { weights, trainableParams, gradients, optimizer, activations, total: weights + gradients + optimizer + activations };
}
