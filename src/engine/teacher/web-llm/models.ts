// Which of web-llm's prebuilt models this adapter can run, and why not: shader-f16, buffer limits, a VRAM estimate; plus a download-size estimate.
import type { ModelRecord } from '@mlc-ai/web-llm';

/** What the page reads from its WebGPU adapter (`navigator.gpu.requestAdapter()`), before anything is downloaded. */
export interface AdapterSummary {
  features: readonly string[];
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

export type ModelStatus =
  /** Offered. `warning` may still say it is close to the limits. */
  | 'ok'
  /** Listed, not selectable: `reason` says what the adapter lacks. */
  | 'disabled'
  /** Not listed at all (counted, with `reason`): models that cannot act as teacher or judge. */
  | 'hidden';

export interface ModelChoice {
  id: string;
  /** Hugging Face repo URL of the weights (huggingface.co/mlc-ai/…). */
  weightsUrl: string;
  /** web-llm's own estimate of the GPU memory it needs (MB); absent when the record has none. */
  vramMB?: number;
  /** Estimated download (MB): nominal parameters × bits of its quantization; undefined when its name gives no parameter count. */
  downloadMB?: number;
  quantization: string;
  /** Context window the prebuilt library was compiled for (tokens), when the record says. */
  contextWindow?: number;
  lowResource: boolean;
  status: ModelStatus;
  reason?: string;
  warning?: string;
}

/** Below this storage-buffer binding size web-llm itself warns that only its low-resource builds run (it asks for 1 GiB). */
export const FULL_BINDING_BYTES = 1 << 30;
/** web-llm's runtime refuses adapters below these (its detectGPUDevice falls back to them, then throws). */
export const MIN_BINDING_BYTES = 1 << 27;
export const MIN_BUFFER_BYTES = 1 << 28;

const MB = 1024 * 1024;

/** The quantization in an MLC model id: q4f16_1, q4f32_1, q0f16, q0f32, q3f16_1 …; 'unknown' when the id has none. */
export function quantizationOf(modelId: string): string {
  return /-(q\d+f\d+(?:_\d+)?)(?:-|$)/.exec(modelId)?.[1] ?? 'unknown';
}

/**
 * Bits stored per weight for an MLC quantization: q0fN stores N-bit floats; qKfN_1 stores K-bit integers with one
 * N-bit scale per group (group 32 for 4-bit, 40 for 3-bit, MLC's group quantization defaults).
 */
export function bitsPerWeight(quantization: string): number | undefined {
  const m = /^q(\d+)f(\d+)(?:_\d+)?$/.exec(quantization);
  if (!m) return undefined;
  const [k, f] = [Number(m[1]), Number(m[2])];
  if (k === 0) return f;
  const group = k === 3 ? 40 : 32;
  return k + f / group;
}

/** The nominal parameter count in a model id ("0.5B", "135M", "1_6b"), or undefined ("phi-2", "Phi-3.5-mini", "E2B"). */
export function nominalParameters(modelId: string): number | undefined {
  const m = /(?<![A-Za-z0-9.])(\d+(?:[._]\d+)?)([BbMm])(?![A-Za-z0-9])/.exec(modelId.replace(/-q\d+f\d+.*$/, ''));
  if (!m) return undefined;
  return Number(m[1].replace('_', '.')) * (m[2].toLowerCase() === 'b' ? 1e9 : 1e6);
}

/** Estimated download in MB (weights only; the tokenizer and the model library add a few MB). */
export function downloadEstimateMB(modelId: string): number | undefined {
  const params = nominalParameters(modelId);
  const bits = bitsPerWeight(quantizationOf(modelId));
  if (params === undefined || bits === undefined) return undefined;
  return (params * bits) / 8 / MB;
}

/** shader-f16 is needed by every f16 build (q4f16, q0f16, q3f16), whether or not its record lists the feature. */
export function requiredFeatures(record: ModelRecord): string[] {
  const features = new Set(record.required_features ?? []);
  if (/f16/.test(quantizationOf(record.model_id))) features.add('shader-f16');
  return [...features];
}

const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;

/**
 * Judges one record against the adapter. `vramBudgetMB` is what the user lets a model take (WebGPU does not say how much
 * memory a GPU has, so web-llm's `vram_required_MB` can only be compared with a budget, never with the device itself).
 */
export function assessModel(record: ModelRecord, adapter: AdapterSummary, vramBudgetMB: number): ModelChoice {
  const quantization = quantizationOf(record.model_id);
  const choice: ModelChoice = {
    id: record.model_id,
    weightsUrl: record.model,
    vramMB: record.vram_required_MB,
    downloadMB: downloadEstimateMB(record.model_id),
    quantization,
    contextWindow: record.overrides?.context_window_size,
    lowResource: record.low_resource_required === true,
    status: 'ok',
  };
  const no = (status: ModelStatus, reason: string): ModelChoice => ({ ...choice, status, reason });
  // model_type 1 is web-llm's ModelType.embedding (a const enum in its types; the value is what the record holds).
  if (record.model_type === 1) return no('hidden', 'an embedding model: it cannot write or judge text');
  if (adapter.maxBufferSize < MIN_BUFFER_BYTES || adapter.maxStorageBufferBindingSize < MIN_BINDING_BYTES) {
    return no('disabled', `this adapter's buffers are too small for web-llm (max buffer ${mb(adapter.maxBufferSize)}, storage binding ${mb(adapter.maxStorageBufferBindingSize)}; it needs 256 MB and 128 MB)`);
  }
  const missing = requiredFeatures(record).filter((f) => !adapter.features.includes(f));
  if (missing.length > 0) {
    const alternative = quantization.includes('f16') ? `; its ${quantization.replace('f16', 'f32')} build, if listed, runs without it` : '';
    return no('disabled', `needs the WebGPU feature ${missing.join(', ')}, which this adapter lacks${alternative}`);
  }
  if (record.buffer_size_required_bytes !== undefined && record.buffer_size_required_bytes > adapter.maxStorageBufferBindingSize) {
    return no('disabled', `needs a ${mb(record.buffer_size_required_bytes)} storage buffer binding; this adapter allows ${mb(adapter.maxStorageBufferBindingSize)}`);
  }
  if (adapter.maxStorageBufferBindingSize < FULL_BINDING_BYTES && !choice.lowResource) {
    return no('disabled', `this adapter's storage binding limit (${mb(adapter.maxStorageBufferBindingSize)}, under 1 GB) runs only web-llm's low-resource builds`);
  }
  if (choice.vramMB !== undefined && choice.vramMB > vramBudgetMB) {
    return no('disabled', `needs ≈ ${Math.round(choice.vramMB)} MB of GPU memory (web-llm's estimate), over the ${vramBudgetMB} MB allowed; raise the limit if your GPU has more`);
  }
  if (choice.vramMB !== undefined && choice.vramMB > 0.8 * vramBudgetMB) {
    return { ...choice, warning: `close to the ${vramBudgetMB} MB allowed: loading may run out of GPU memory` };
  }
  return choice;
}

/** Every record, judged; the order of web-llm's list is kept. */
export function assessModels(records: readonly ModelRecord[], adapter: AdapterSummary, vramBudgetMB: number): ModelChoice[] {
  return records.map((r) => assessModel(r, adapter, vramBudgetMB));
}

/** The default GPU memory budget (MB): 4 GB on an adapter with full-size bindings, 1 GB on a low-resource one. */
export function defaultVramBudgetMB(adapter: AdapterSummary): number {
  return adapter.maxStorageBufferBindingSize >= FULL_BINDING_BYTES ? 4096 : 1024;
}
