// Bench entries at real model shapes (random weights): SmolLM2-135M and Qwen3-0.6B, one LoRA step each at seq 256, with measured GPU memory.
import { tf } from '../../engine/backend/tf';
import { deviceMemoryMeter } from '../../engine/backend/memory-meter';
import { bufferLimitBytes } from '../../engine/backend/buffer-limit';
import { createModel, createTrainer, defaultTrainOptions, estimateTrainMemory, type CausalLM, type LlamaConfig, type TokenizedExample, type TrainOptions } from '../../engine/index';
import { lossRowChunks } from '../../engine/models/head-loss';
import { chunkedProjection } from '../../engine/models/row-chunks';
import { checkGpuFit, formatBytes } from '../../engine/hub/memory-fit';
import { dispatchCount } from './dispatch-counter';
import { gflopsPerSecond } from './flops';
import { round } from './report';
import { formatProfile, profileStep, type StepProfile } from './step-profile';

export interface RealShape {
  model: string;
  /** What the shape copies, and how it differs if it does. */
  note: string;
  config: LlamaConfig;
  seq: number;
  batch: number;
  /** How the step trains: LoRA on every linear module, r 8; base precision and checkpointing as the targets ask. */
  baseWeights: 'f16' | 'f32';
  gradientCheckpointing: boolean;
  /** The memory target for this entry, if any. */
  memoryTargetBytes?: number;
  /** Time the first step only (shader compilation included): for entries whose steps take many minutes here. */
  singleStep?: boolean;
}

const LLAMA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

export const SMOLLM2_135M: RealShape = {
  model: 'smollm2-135m-shaped',
  note: 'HuggingFaceTB/SmolLM2-135M config (llama, tied), random weights',
  config: {
    model_type: 'llama', vocab_size: 49152, hidden_size: 576, intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9,
    num_key_value_heads: 3, rms_norm_eps: 1e-5, rope_theta: 100000, max_position_embeddings: 8192, tie_word_embeddings: true,
  },
  seq: 256,
  batch: 1,
  baseWeights: 'f16',
  gradientCheckpointing: false,
};

export const QWEN3_06B: RealShape = {
  model: 'qwen3-0.6b-shaped',
  note: 'Qwen/Qwen3-0.6B shapes (qwen3: head_dim 128, per-head q/k RMSNorm, no biases), tied, random weights',
  config: {
    model_type: 'qwen3', vocab_size: 151936, hidden_size: 1024, intermediate_size: 3072, num_hidden_layers: 28, num_attention_heads: 16,
    num_key_value_heads: 8, head_dim: 128, rms_norm_eps: 1e-6, rope_theta: 1000000, max_position_embeddings: 40960, tie_word_embeddings: true,
  },
  seq: 256,
  batch: 1,
  baseWeights: 'f16',
  gradientCheckpointing: true,
  memoryTargetBytes: 2.5e9,
  singleStep: true,
};

/**
 * The Qwen3 shape's vocabulary, head, f16 base and checkpointing with 2 of its 28 layers at seq 32: the same loss path
 * in about a minute, to check the loss (≈ ln 151936 at random weights) where a full step takes many minutes.
 */
export const QWEN3_06B_2_LAYERS: RealShape = {
  ...QWEN3_06B,
  model: 'qwen3-0.6b-shaped-2-layers',
  note: `${QWEN3_06B.note}; 2 of its 28 layers, seq 32: the loss check in a minute`,
  config: { ...QWEN3_06B.config, num_hidden_layers: 2 },
  seq: 32,
  memoryTargetBytes: undefined,
  singleStep: false,
};

export const REAL_SHAPES = [SMOLLM2_135M, QWEN3_06B, QWEN3_06B_2_LAYERS];

/**
 * Model FLOPs of one LoRA step of a Llama-shaped model (matmuls and attention; the recompute of checkpointing not
 * counted, as model-FLOP utilisation counts it): forward, then the backward's input gradients (1× dense and lm_head,
 * 2× attention) and the adapters' 3× their forward.
 */
export function llamaLoraStepFlops(c: LlamaConfig, seq: number, tokens: number, r: number): number {
  const C = c.hidden_size;
  const D = c.head_dim ?? C / c.num_attention_heads;
  const Q = c.num_attention_heads * D;
  const KV = (c.num_key_value_heads ?? c.num_attention_heads) * D;
  const I = c.intermediate_size;
  const linears: [number, number][] = [[C, Q], [C, KV], [C, KV], [Q, C], [C, I], [C, I], [I, C]];
  const dense = linears.reduce((n, [i, o]) => n + 2 * i * o, 0);
  const lora = linears.reduce((n, [i, o]) => n + 2 * r * (i + o), 0);
  const attention = 4 * seq * Q;
  const head = 2 * C * c.vocab_size;
  const perToken = c.num_hidden_layers * (2 * dense + 3 * attention + 3 * lora) + 2 * head;
  return perToken * tokens;
}

function rows(shape: RealShape): TokenizedExample[] {
  return Array.from({ length: shape.batch }, (_, b) => {
    const ids = Array.from({ length: shape.seq + 1 }, (_, t) => (b * 7919 + t * 104729) % shape.config.vocab_size);
    return { id: `real-${b}`, ids, weights: ids.map((_, t) => (t === 0 ? 0 : 1)) };
  });
}

/**
 * The first step's loss computed apart from the training path: the model's logits read back in row chunks that fit
 * one buffer, log-sum-exp and the mean in float64 (the training loss runs the fused cross-entropy on the GPU). Run
 * after the trainer is ready (the f16 base in place) and before its first step; the new adapter adds nothing yet.
 */
async function referenceLoss(model: CausalLM, examples: TokenizedExample[], seq: number): Promise<number> {
  const V = model.dims.vocabSize;
  let nll = 0;
  let count = 0;
  for (const e of examples) {
    const ids = tf.tensor2d(Int32Array.from(e.ids.slice(0, seq)), [1, seq], 'int32');
    const hidden = model.hidden(ids); // [seq, C]
    ids.dispose();
    let start = 0;
    for (const rows of lossRowChunks(seq, V, bufferLimitBytes())) {
      const logitsT = tf.tidy(() => chunkedProjection(tf.slice(hidden, [start, 0], [rows, -1]), model.headTable())); // [rows, V]
      const logits = (await logitsT.data()) as Float32Array;
      logitsT.dispose();
      for (let r = 0; r < rows; r++) {
        const t = start + r;
        if (!(e.weights[t + 1] > 0)) continue;
        let max = -Infinity;
        for (let v = 0; v < V; v++) max = Math.max(max, logits[r * V + v]);
        let sum = 0;
        for (let v = 0; v < V; v++) sum += Math.exp(logits[r * V + v] - max);
        nll += e.weights[t + 1] * (max + Math.log(sum) - logits[r * V + e.ids[t + 1]]);
        count += e.weights[t + 1];
      }
      start += rows;
    }
    hidden.dispose();
  }
  return nll / count;
}

/** One entry: builds the model, times the first step and one more, measures its peak GPU bytes; or says why it did not fit. */
export async function benchRealShape(
  shape: RealShape,
  matmulPeakGflops: number | null,
  log: (line: string) => void,
  /** `--profile --real-shapes`: after the timed step, one more step recorded and each dispatch replayed alone (time per kernel). */
  profile = false,
): Promise<Record<string, unknown>> {
  const options: TrainOptions = {
    ...defaultTrainOptions,
    method: 'lora',
    lora: { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: LLAMA_TARGETS },
    batchSize: shape.batch,
    maxSeqLen: shape.seq + 1,
    maxSteps: 100,
    baseWeights: shape.baseWeights,
    gradientCheckpointing: shape.gradientCheckpointing,
  };
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const limits = { maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize, maxBufferSize: device.limits.maxBufferSize };
  const fit = checkGpuFit(shape.config, limits, { ...options, maxSeqLen: shape.seq });
  const estimate = estimateTrainMemory(shape.config, { ...options, maxSeqLen: shape.seq });
  const tokens = shape.batch * shape.seq;
  const flops = llamaLoraStepFlops(shape.config, shape.seq, tokens, 8);
  const base = {
    model: shape.model,
    note: shape.note,
    batch: shape.batch,
    seq: shape.seq,
    method: 'lora r8, all linear modules',
    baseWeights: shape.baseWeights,
    gradientCheckpointing: shape.gradientCheckpointing,
    stepFlops: flops,
    estimatedBytes: estimate.total,
    estimate: { weights: estimate.weights, activations: estimate.activations, gradients: estimate.gradients, optimizer: estimate.optimizer },
    largestBuffer: fit.largestBuffer,
    deviceLimits: limits,
  };
  if (!fit.fits) {
    log(`${shape.model}: does not fit this adapter: ${fit.reasons.join(' ')}`);
    return { ...base, params: null, msPerStep: null, trainTokensPerSec: null, peakRatio: null, peakDeviceBytes: null, dispatchesPerStep: null, skipped: fit.reasons };
  }
  const meter = deviceMemoryMeter();
  const t0 = performance.now();
  let model: ReturnType<typeof createModel> | null = null;
  let trainer: ReturnType<typeof createTrainer> | null = null;
  try {
    meter?.resetPeak();
    const liveBefore = meter?.read().liveBytes ?? 0;
    model = createModel(shape.config, { seed: 1 });
    log(`${shape.model}: ${(model.numParams / 1e6).toFixed(1)}M parameters built in ${((performance.now() - t0) / 1000).toFixed(1)} s; estimate ${formatBytes(estimate.total)}`);
    const examples = rows(shape);
    trainer = createTrainer(model, examples, options);
    await trainer.ready;
    const expectedLoss = await referenceLoss(model, examples, shape.seq);
    log(`${shape.model}: loss before training from the logits in float64 ${expectedLoss.toFixed(4)} (ln V = ${Math.log(shape.config.vocab_size).toFixed(4)})`);
    // That pass's buffers would stay in tfjs's pool and count in the step's allocated peak: release them first.
    const released = meter?.releaseFreeBuffers() ?? 0;
    log(`${shape.model}: released ${formatBytes(released)} of pooled buffers left by that pass`);
    const d1 = dispatchCount();
    const s1 = performance.now();
    const first = await trainer.step();
    const firstStepMs = performance.now() - s1;
    const firstDispatches = dispatchCount() - d1;
    log(`${shape.model}: first step ${(firstStepMs / 1000).toFixed(1)} s, ${firstDispatches} dispatches (loss ${first.loss.toFixed(4)}, peak ${formatBytes(first.peakDeviceBytes ?? 0)})`);
    let timed = first;
    let ms = firstStepMs;
    let dispatches = firstDispatches;
    if (!shape.singleStep) {
      const d0 = dispatchCount();
      const s2 = performance.now();
      timed = await trainer.step();
      ms = performance.now() - s2;
      dispatches = dispatchCount() - d0;
    }
    const memory = meter?.read();
    const peak = memory ? memory.peakLiveBytes - liveBefore : null;
    let kernels: StepProfile | null = null;
    if (profile) {
      kernels = await profileStep(() => trainer!.step(), device, { trials: 1 });
      for (const line of formatProfile(kernels)) log(`${shape.model} profile: ${line}`);
    }
    const lossError = Math.abs(first.loss - expectedLoss) / expectedLoss;
    const gflops = gflopsPerSecond(flops, ms);
    log(`${shape.model}: timed step ${(ms / 1000).toFixed(1)} s, ${dispatches} dispatches, loss ${timed.loss.toFixed(4)}, peak ${peak === null ? '?' : formatBytes(peak)}`);
    return {
      ...base,
      params: model.numParams,
      msPerStep: round(ms),
      firstStepMs: round(firstStepMs),
      trainTokensPerSec: round(tokens / (ms / 1000)),
      dispatchesPerStep: dispatches,
      trainGflops: round(gflops),
      matmulPeakGflops: round(matmulPeakGflops),
      peakRatio: round(gflops !== null && matmulPeakGflops ? gflops / matmulPeakGflops : null),
      peakDeviceBytes: peak,
      peakAllocatedBytes: memory ? memory.peakAllocatedBytes : null,
      estimateOverMeasured: peak ? round(estimate.total / peak) : null,
      ...(shape.memoryTargetBytes && peak !== null && { memoryTargetBytes: shape.memoryTargetBytes, withinMemoryTarget: peak <= shape.memoryTargetBytes }),
      largestBufferBytes: memory ? memory.largestBufferBytes : null,
      losses: shape.singleStep ? [round(first.loss)] : [round(first.loss), round(timed.loss)],
      // The first step's loss against the float64 one from the same weights' logits (ln V at random weights).
      lossCheck: { expected: round(expectedLoss), lnVocab: round(Math.log(shape.config.vocab_size)), relativeError: lossError, ok: lossError < 1e-3 },
      ...(kernels && { profile: kernels }),
      ...(shape.singleStep && { timing: 'the first step only, shader compilation included (a step takes many minutes on a software adapter)' }),
    };
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    log(`${shape.model}: failed: ${message}`);
    return { ...base, params: model?.numParams ?? null, msPerStep: null, trainTokensPerSec: null, peakRatio: null, peakDeviceBytes: meter ? meter.read().peakLiveBytes : null, dispatchesPerStep: null, error: message };
  } finally {
    trainer?.dispose();
    model?.dispose();
  }
}
