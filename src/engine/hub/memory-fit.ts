// Before loading or training: will the weights, activations and optimizer state fit this GPU's buffer limits?
import { GpuMemoryError } from '../errors';
import type { ModelConfig } from '../models/config';
import { modelDims } from '../models/dims';
import { paramSpecs } from '../models/params';
import { lossRowChunks } from '../models/head-loss';
import { rowChunkSizes } from '../models/row-chunks';
import { estimateTrainMemory, type TrainMemoryEstimate } from '../train/memory';
import { defaultTrainOptions, type TrainOptions } from '../train/options';

/** Tables the model may split by rows (see createModel). */
const SPLITTABLE = new Set(['transformer.wte.weight', 'model.embed_tokens.weight', 'lm_head.weight']);

/** The adapter limits that matter (GPUAdapter.limits / GPUDevice.limits), plus an optional memory budget. */
export interface GpuLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  /** Total bytes the run may use (WebGPU does not report device memory; the UI may ask or assume). */
  memoryBudget?: number;
}

export interface GpuFitReport {
  estimate: TrainMemoryEstimate;
  /** The largest single buffer the run needs, by what it is. */
  largestBuffer: { what: string; bytes: number };
  fits: boolean;
  /** Empty when it fits; otherwise each limit crossed, in words with numbers. */
  reasons: string[];
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** Estimates memory for training (or inference, with batchSize 1 and method 'lora') and checks it against the limits. */
export function checkGpuFit(config: ModelConfig, limits: GpuLimits, options: Partial<TrainOptions> = {}): GpuFitReport {
  const estimate = estimateTrainMemory(config, options);
  const d = modelDims(config);
  const batch = options.batchSize ?? defaultTrainOptions.batchSize;
  const T = Math.min(options.maxSeqLen ?? defaultTrainOptions.maxSeqLen, d.maxPositions);
  const bindingLimit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const reasons: string[] = [];
  const buffers: { what: string; bytes: number }[] = [];
  for (const s of paramSpecs(d)) {
    const what = `weight ${s.name} [${s.shape.join(', ')}] float32`;
    const bytes = 4 * s.shape.reduce((a, b) => a * b, 1);
    if (bytes <= bindingLimit || !SPLITTABLE.has(s.name)) {
      buffers.push({ what, bytes });
      continue;
    }
    // Embedding tables are kept as row chunks under the limit (models/row-chunks.ts) when one row fits.
    try {
      const rows = Math.max(...rowChunkSizes(s.name, s.shape[0], s.shape[1], bindingLimit));
      buffers.push({ what: `${what}, split into row chunks of ${rows}`, bytes: 4 * rows * s.shape[1] });
    } catch (e) {
      reasons.push((e as Error).message);
    }
  }
  // The loss makes the logits [batch·T, V] in row chunks that each fit one buffer (models/head-loss.ts).
  try {
    const rows = Math.max(...lossRowChunks(batch * T, d.vocabSize, bindingLimit));
    const chunked = rows < batch * T ? `, in row chunks of ${rows} of its ${batch * T} rows` : '';
    buffers.push({ what: `logits [${batch}, ${T}, ${d.vocabSize}] float32 at batch ${batch}, sequence ${T}${chunked}`, bytes: 4 * rows * d.vocabSize });
  } catch (e) {
    reasons.push((e as Error).message);
  }
  buffers.push({ what: `attention scores [${batch}, ${d.heads}, ${T}, ${T}] float32`, bytes: 4 * batch * d.heads * T * T });
  const largestBuffer = buffers.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  for (const b of buffers) {
    if (b.bytes > bindingLimit) {
      const which = limits.maxStorageBufferBindingSize <= limits.maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
      reasons.push(`The ${b.what} needs ${formatBytes(b.bytes)}, over this GPU's ${which} of ${formatBytes(bindingLimit)}.`);
    }
  }
  if (limits.memoryBudget != null && estimate.total > limits.memoryBudget) {
    reasons.push(
      `The run needs about ${formatBytes(estimate.total)} (weights ${formatBytes(estimate.weights)}, activations ${formatBytes(estimate.activations)}, ` +
        `gradients ${formatBytes(estimate.gradients)}, optimizer ${formatBytes(estimate.optimizer)}), over the budget of ${formatBytes(limits.memoryBudget)}.`,
    );
  }
  return { estimate, largestBuffer, fits: reasons.length === 0, reasons };
}

/** Throws GpuMemoryError with every reason when the run will not fit. */
export function assertGpuFit(config: ModelConfig, limits: GpuLimits, options: Partial<TrainOptions> = {}): GpuFitReport {
  const report = checkGpuFit(config, limits, options);
  if (!report.fits) {
    throw new GpuMemoryError(report.reasons.join(' '), 'Lower the batch size or sequence length, or pick a smaller model; a browser with higher WebGPU limits may also help.');
  }
  return report;
}
