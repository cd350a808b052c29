// A rough, documented estimate of training memory (bytes) for the UI's "will this fit?" line before a run starts.
import type { ModelConfig } from '../models/config';
import { modelDims } from '../models/dims';
import { isTargeted } from '../lora/adapter';
import { linearModules, paramSpecs } from '../models/params';
import { defaultTrainOptions, type TrainOptions } from './options';
import { gemma3LayerActivations } from './memory-gemma3';

export interface TrainMemoryEstimate {
  /** Base model weights (float32), plus their f16 copy (2 bytes per linear weight) for a LoRA run on an f16 base. */
  weights: number;
  /** Trainable parameters (adapter or whole model), as a count. */
  trainableParams: number;
  /** Adapter weights + gradients of the trainable parameters. */
  gradients: number;
  /** AdamW's two moments. */
  optimizer: number;
  /** Activations kept for the backward pass of one micro-batch (the largest term for long sequences). */
  activations: number;
  total: number;
}

const f32 = 4;

export function estimateTrainMemory(config: ModelConfig, options: Partial<TrainOptions>): TrainMemoryEstimate {
  const o = { ...defaultTrainOptions, ...options };
  const d = modelDims(config);
  const totalParams = paramSpecs(d).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  let trainableParams = totalParams;
  let adapterBytes = 0;
  if (o.method === 'lora' && o.lora) {
    const r = o.lora.r;
    const targets = o.lora.target_modules;
    trainableParams = linearModules(d)
      .filter((m) => isTargeted(m.module, targets))
      .reduce((n, m) => n + r * (m.inFeatures + m.outFeatures), 0);
    adapterBytes = trainableParams * f32;
  }
  const tokens = o.batchSize * Math.min(o.maxSeqLen, d.maxPositions);
  const T = Math.min(o.maxSeqLen, d.maxPositions);
  // Per layer: ~6 hidden-wide tensors (norms, residuals, projections), q/k/v and the attended values at their own
  // widths (H·D, Hkv·D: Qwen3's head_dim is not C/H) plus Qwen3's normalised q and k, 3 MLP-wide ones, and the
  // attention scores and probabilities [B, H, T, T]; plus logits, their softmax and gradient [B, T, V].
  const qWidth = d.heads * d.headDim;
  const kvWidth = d.kvHeads * d.headDim;
  const attentionWidth = 2 * qWidth + 2 * kvWidth + (d.qkNorm ? qWidth + kvWidth : 0);
  const perLayer =
    d.family === 'gemma3'
      ? gemma3LayerActivations(d, tokens, o.batchSize, T)
      : tokens * (6 * d.hidden + attentionWidth + 3 * d.intermediate) + 2 * o.batchSize * d.heads * T * T;
  const activations = (d.layers * perLayer + 3 * tokens * d.vocabSize) * f32;
  const halfBase = o.method === 'lora' && o.baseWeights === 'f16' ? 2 * linearModules(d).reduce((n, m) => n + m.inFeatures * m.outFeatures, 0) : 0;
  const weights = totalParams * f32 + halfBase;
  const gradients = adapterBytes + trainableParams * f32;
  const optimizer = 2 * trainableParams * f32;
  return { weights, trainableParams, gradients, optimizer, activations, total: weights + gradients + optimizer + activations };
}
