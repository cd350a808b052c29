// Named error classes with actionable messages; rebuilt by name on the far side of the worker boundary.

import { BackendInitError, DeviceLostError, registerErrorName, TuneLabError, WebGPUUnavailableError } from './backend/errors';

export { BackendInitError, DeviceLostError, TuneLabError, WebGPUUnavailableError };

export class SafetensorsError extends TuneLabError {}
export class TokenizerError extends TuneLabError {}
export class ModelConfigError extends TuneLabError {}
export class UnsupportedArchitectureError extends TuneLabError {}
export class ShapeMismatchError extends TuneLabError {}
export class NonFiniteLossError extends TuneLabError {}
export class DatasetParseError extends TuneLabError {}
export class CheckpointError extends TuneLabError {}
export class AdapterMismatchError extends TuneLabError {}
export class StorageQuotaError extends TuneLabError {}
/** A dataset could not be written to (or read back from) browser storage for a reason other than quota. */
export class DatasetStorageError extends TuneLabError {}
/** The run's choice for rows longer than the model's context leaves nothing to train on. */
export class LongRowsError extends TuneLabError {}
export class JobCancelledError extends TuneLabError {}
/** A Tiny World dataset spec that cannot be generated (unknown skill, empty shift, bad rate). */
export class WorldSpecError extends TuneLabError {}
/** A Tiny World request for more distinct items than a skill's pool (split, eval role, shift) holds. */
export class ItemPoolError extends WorldSpecError {}
export class EngineUnavailableError extends TuneLabError {}
/** A Hub download failed (HTTP status, network, a size or hash that does not match). */
export class HubDownloadError extends TuneLabError {}
/** A checkpoint folder is missing files or its shard index does not match its shards. */
export class CheckpointLayoutError extends TuneLabError {}
/** The model or the run would not fit in the GPU's buffers or memory. */
export class GpuMemoryError extends TuneLabError {}
/** An adapter_config.json / adapter_model.safetensors pair that TuneLab cannot read as a PEFT LoRA adapter. */
export class AdapterFormatError extends TuneLabError {}
/** A run that cannot be exported in the asked form (no checkpoint yet, not LoRA, no Hub base). */
export class RunExportError extends TuneLabError {}
/** A run whose data or settings TRL cannot reproduce as TuneLab trained them (mixed row formats, per-message weights). */
export class ScaleOutError extends TuneLabError {}
/**
 * An experiment sweep that cannot run as set: a value its field does not accept (seeds below 1, steps of 0, a list entry
 * that is not a number), or one that would not measure what it says (eval items in its training data, more data than its pools hold).
 */
export class ExperimentSpecError extends TuneLabError {}
/** This tab closed its database connection because another tab opened a newer TuneLab (a newer schema). */
export class DatabaseClosedError extends TuneLabError {}
/** A run or sweep whose job holds its lock (another tab trains it, or it trains and cannot be deleted): one job at a time. */
export class RunLockedError extends TuneLabError {}
/** A Parquet file TuneLab's reader cannot read: a compression codec or encoding it lacks, or a nested column mapped to text. */
export class ParquetFormatError extends TuneLabError {}
/** A Hub dataset that cannot be listed or fetched: no Parquet conversion, gated or private, unknown config or split. */
export class HubDatasetError extends TuneLabError {}
/** A regression suite that cannot be built or scored as given: no prompt/answer fields, empty answers, too few items for an interval, prompts beyond the context. */
export class RegressionSuiteError extends TuneLabError {}
/** A canary template that cannot be used: no secret slot, an unknown slot kind, an empty word list. */
export class CanaryTemplateError extends TuneLabError {}
/** A canary's candidate space too large to rank exactly, and the user has not agreed to a sampled estimate. */
export class ExposureSpaceError extends TuneLabError {}
/** A forget request that cannot be carried out: it matches nothing, is malformed, or its data is being trained on. */
export class ForgetRequestError extends TuneLabError {}
/** An erasure that stopped part-way (a quota or storage error); its journal keeps it resumable. */
export class ErasureError extends TuneLabError {}
/** A web-llm model that could not be loaded: its download or model library failed, or web-llm refused it. */
export class WebLlmLoadError extends TuneLabError {}
/** A web-llm download that could not reach its host (offline, or huggingface.co / raw.githubusercontent.com unreachable). */
export class WebLlmNetworkError extends WebLlmLoadError {}
/** A web-llm model this GPU adapter cannot run (a WebGPU feature or limit it lacks). */
export class WebLlmUnsupportedModelError extends TuneLabError {}
/** A web-llm teacher or judge that returned nothing usable, or took too long, for a named prompt. */
export class WebLlmOutputError extends TuneLabError {}
/** A teacher that returned nothing (an empty completion) for a prompt; the message names the row. */
export class TeacherEmptyCompletionError extends TuneLabError {}
/** A judge asked to grade what it cannot (an empty prompt or answer, an answer longer than its context). */
export class JudgeInputError extends TuneLabError {}

/** Every class that may cross the worker boundary; add new ones here so they are rebuilt with their own class. */
export const errorClasses: Record<string, new (message: string, hint?: string) => TuneLabError> = {
  TuneLabError,
  WebGPUUnavailableError,
  BackendInitError,
  DeviceLostError,
  SafetensorsError,
  TokenizerError,
  ModelConfigError,
  UnsupportedArchitectureError,
  ShapeMismatchError,
  NonFiniteLossError,
  DatasetParseError,
  CheckpointError,
  AdapterMismatchError,
  StorageQuotaError,
  DatasetStorageError,
  LongRowsError,
  JobCancelledError,
  WorldSpecError,
  ItemPoolError,
  EngineUnavailableError,
  HubDownloadError,
  CheckpointLayoutError,
  GpuMemoryError,
  AdapterFormatError,
  RunExportError,
  ScaleOutError,
  ExperimentSpecError,
  DatabaseClosedError,
  RunLockedError,
  ParquetFormatError,
  HubDatasetError,
  RegressionSuiteError,
  CanaryTemplateError,
  ExposureSpaceError,
  ForgetRequestError,
  ErasureError,
  WebLlmLoadError,
  WebLlmNetworkError,
  WebLlmUnsupportedModelError,
  WebLlmOutputError,
  TeacherEmptyCompletionError,
  JudgeInputError,
};

for (const [name, errorClass] of Object.entries(errorClasses)) registerErrorName(errorClass, name);

export interface SerializedError {
  name: string;
  message: string;
  hint: string;
  stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const hint = error instanceof TuneLabError ? error.hint : '';
    return { name: error.name, message: error.message, hint, stack: error.stack };
  }
  return { name: 'Error', message: String(error), hint: '' };
}

/** Rebuilds the same class by name; unknown names become a plain Error that keeps the name. */
export function deserializeError(data: SerializedError): Error {
  const Known = errorClasses[data.name];
  const error = Known ? new Known(data.message, data.hint) : Object.assign(new Error(data.message), { name: data.name });
  if (data.stack) error.stack = data.stack;
  return error;
}
