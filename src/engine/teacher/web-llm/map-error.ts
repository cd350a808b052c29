// web-llm's failures (strings across its worker boundary: `err.toString()`) mapped to TuneLab's named errors with what to do.
import {
  DeviceLostError,
  GpuMemoryError,
  StorageQuotaError,
  TuneLabError,
  WebGPUUnavailableError,
  WebLlmLoadError,
  WebLlmNetworkError,
  WebLlmUnsupportedModelError,
} from '../../errors';

export interface WebLlmErrorContext {
  modelId: string;
  /** Loading (download, compile) or generating. */
  phase: 'load' | 'generate';
  /** `navigator.onLine` where the error surfaced, when known: false says the browser itself knows it is offline. */
  online?: boolean;
}

/** The text of whatever web-llm threw: its worker posts `err.toString()`, in-process engines throw Errors. */
export function errorText(raw: unknown): string {
  if (raw instanceof Error) return `${raw.name}: ${raw.message}`;
  if (typeof raw === 'string') return raw;
  if (raw && typeof raw === 'object' && 'message' in raw) return String((raw as { message: unknown }).message);
  return String(raw);
}

const KEEPS_WORKING = 'TuneLab itself keeps working: its own models, training and evaluation need no network.';

/** One of TuneLab's named errors for a web-llm failure; a TuneLabError passes through unchanged. */
export function webLlmErrorOf(raw: unknown, { modelId, phase, online }: WebLlmErrorContext): TuneLabError {
  if (raw instanceof TuneLabError) return raw;
  const text = errorText(raw);
  const detail = ` (web-llm said: ${text.length > 300 ? `${text.slice(0, 300)}…` : text})`;
  const loading = phase === 'load' ? `Loading ${modelId}` : `${modelId}`;

  if (/DeviceLostError|device (was|is) lost|Device was lost/i.test(text)) {
    // web-llm's own DeviceLostError says the usual cause is running out of memory while loading.
    return new DeviceLostError(
      `The GPU device was lost while ${phase === 'load' ? `loading ${modelId}` : `${modelId} was generating`}${detail}.`,
      'This usually means the GPU ran out of memory. Pick a smaller model (fewer parameters, a -1k context build, q4 rather than q0), close other GPU-heavy tabs, then load again; TuneLab\'s own training is unaffected.',
    );
  }
  if (/out of memory|\bOOM\b|GPUOutOfMemoryError|Not enough memory|allocation failed|Failed to allocate/i.test(text)) {
    return new GpuMemoryError(
      `${loading} ran out of GPU memory${detail}.`,
      'Pick a smaller model (fewer parameters or a -1k context build), or lower the GPU memory limit so larger models are not offered; close other GPU-heavy tabs.',
    );
  }
  if (/QuotaExceededError|quota/i.test(text)) {
    return new StorageQuotaError(
      `${loading}: the browser has no room left to cache its files${detail}.`,
      'Free space on the Storage page (or delete cached web-llm models in the browser\'s site settings), or pick a smaller model.',
    );
  }
  if (/ShaderF16SupportError|shader-f16|FeatureSupportError|requires feature/i.test(text)) {
    return new WebLlmUnsupportedModelError(
      `${modelId} needs a WebGPU feature this adapter lacks${detail}.`,
      'Pick its q4f32 build (f32 needs no shader-f16), or use a browser and GPU that support shader-f16.',
    );
  }
  if (/maxStorageBufferBindingSize|maxBufferSize|maxComputeWorkgroupStorageSize|maxStorageBuffersPerShaderStage|Cannot initialize runtime/i.test(text)) {
    return new WebLlmUnsupportedModelError(
      `This GPU adapter's limits are too small for ${modelId}${detail}.`,
      'Pick one of web-llm\'s low-resource builds (the -1k ones), or a machine with a larger GPU.',
    );
  }
  if (/WebGPUNotAvailableError|WebGPUNotFoundError|Unable to find a compatible GPU|WebGPU is not supported/i.test(text)) {
    return new WebGPUUnavailableError(
      `web-llm found no WebGPU adapter for ${modelId}${detail}.`,
      'web-llm runs only on WebGPU: use a browser with WebGPU enabled (Chrome or Edge 113+, Safari 26, Firefox 141+ on Windows).',
    );
  }
  if (/Failed to fetch|NetworkError|Network request failed|Load failed|ERR_INTERNET_DISCONNECTED|ERR_NAME_NOT_RESOLVED|ERR_CONNECTION|net::ERR_FAILED/i.test(text)) {
    const where = online === false ? 'You are offline' : "web-llm's download hosts (huggingface.co, raw.githubusercontent.com) are unreachable from here (you may be offline, or behind a proxy that blocks them)";
    return new WebLlmNetworkError(
      `${where}, so ${modelId} could not be downloaded${detail}.`,
      `Connect to the internet and load it again; files already downloaded stay in web-llm's cache. ${KEEPS_WORKING}`,
    );
  }
  if (/Failed to execute 'add' on 'Cache'|Request failed|Cannot fetch|status(?: code)? (?:4|5)\d\d|\b40[134]\b/i.test(text)) {
    return new WebLlmLoadError(
      `${loading} failed: a file could not be downloaded (the host answered with an error)${detail}.`,
      `Try again later; if it keeps failing, the prebuilt files for this web-llm version may have moved: pick another model. ${KEEPS_WORKING}`,
    );
  }
  if (/IntegrityError/.test(text)) {
    return new WebLlmLoadError(`${loading} failed: a downloaded file did not match its checksum${detail}.`, 'Delete the model from the cache (below) and load it again.');
  }
  return new WebLlmLoadError(
    phase === 'load' ? `${loading} failed${detail}.` : `${modelId} failed while generating${detail}.`,
    phase === 'load' ? `Try again, or pick another model. ${KEEPS_WORKING}` : 'Unload the model and load it again; if it fails again, pick a smaller model.',
  );
}
