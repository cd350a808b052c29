// An estimate of training memory (bytes) for the UI's "will this fit?" line before a run starts, fitted to what tfjs WebGPU holds.
import type { ModelConfig } from '../models/config';
import { modelDims, type ModelDims } from '../models/dims';
import { isTargeted } from '../lora/targets';
import { linearModules, paramSpecs } from '../models/params';
import { defaultTrainOptions, type TrainOptions } from './options';

export interface TrainMemoryEstimate {
  /** Base model weights (float32), plus their f16 copy (2 bytes per linear weight) for a LoRA run on an f16 base. */
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

/**
 * Floats per token that one transformer block holds at the peak of the backward pass on the fused WebGPU path:
 * the tensors its kernels save for the backward (norm inputs, q/k/v and their rotary halves, attention output,
 * MLP inputs) and, because tfjs keeps every intermediate gradient until the whole backward pass ends, about as many
 * gradients again. The attention kernels keep no [T, T] scores (online softmax), so nothing here grows with T².
 * Coefficients per unit of width: hidden C, MLP width I, query width H·D, key/value width Hkv·D; measured with
 * tfjs's buffer manager on Dawn (memory-webgpu.test.ts checks the whole estimate against it, within ±25%).
 */
export function blockFloatsPerToken(d: ModelDims): number {
  if (d.family === 'gpt2') return 15 * d.hidden + 4.5 * d.intermediate;
  return 13.5 * d.hidden + 7 * d.intermediate + 19 * d.heads * d.headDim + 19 * d.kvHeads * d.headDim;
}

/**
 * Activations at the backward peak, in bytes. Without checkpointing every block's share is held at once; with it,
 * each block keeps only its input (and later its input's gradient) and one block at a time is recomputed with its
 * own saved tensors and gradients. The loss keeps the logits and their gradient, 2·V floats per token, either way.
 * `loraDropoutWidth`: Σ over LoRA modules with dropout of 2·in (the dropped input and its gradient), all layers.
 */
export function activationBytes(d: ModelDims, tokens: number, checkpointing: boolean, loraDropoutWidth = 0): number {
  const block = blockFloatsPerToken(d) + loraDropoutWidth / d.layers;
  const blocks = checkpointing ? d.layers * 2 * d.hidden + block : d.layers * block;
  return tokens * (blocks + 4 * d.hidden + 2 * d.vocabSize) * f32;
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
  const activations = activationBytes(d, o.batchSize * T, o.gradientCheckpointing ?? false, loraDropoutWidth);
  const halfBase = o.method === 'lora' && o.baseWeights === 'f16' ? 2 * linearModules(d).reduce((n, m) => n + m.inFeatures * m.outFeatures, 0) : 0;
  const weights = totalParams * f32 + halfBase;
  // The gradients as tfjs returns them, and their concatenation into one flat vector for the fused AdamW.
  const gradients = adapterBytes + 2 * trainableParams * f32;
  const optimizer = 2 * trainableParams * f32;
  return { weights, trainableParams, gradients, optimizer, activations, total: weights + gradients + optimizer + activations };
}
