// web-llm's failures, as its worker posts them (`err.toString()`), become TuneLab's named errors that say what to do.
import { describe, expect, it } from 'vitest';
import { DeviceLostError, GpuMemoryError, JobCancelledError, StorageQuotaError, WebGPUUnavailableError, WebLlmLoadError, WebLlmNetworkError, WebLlmUnsupportedModelError } from '../../errors';
import { webLlmErrorOf } from './map-error';

const load = { modelId: 'Qwen3-0.6B-q4f32_1-MLC', phase: 'load' as const };

describe('webLlmErrorOf', () => {
  it('no network: says offline or unreachable, and that TuneLab keeps working', () => {
    const offline = webLlmErrorOf('TypeError: Failed to fetch', { ...load, online: false });
    expect(offline).toBeInstanceOf(WebLlmNetworkError);
    expect(offline).toBeInstanceOf(WebLlmLoadError);
    expect(offline.message).toMatch(/^You are offline, so Qwen3-0.6B-q4f32_1-MLC could not be downloaded/);
    expect(offline.hint).toMatch(/TuneLab itself keeps working/);
    expect(webLlmErrorOf('TypeError: Failed to fetch', load).message).toMatch(/web-llm's download hosts \(huggingface.co, raw.githubusercontent.com\) are unreachable/);
    expect(webLlmErrorOf(new TypeError('NetworkError when attempting to fetch resource.'), load)).toBeInstanceOf(WebLlmNetworkError);
  });

  it('a host answering with an error is a load failure, not "offline"', () => {
    const e = webLlmErrorOf("TypeError: Failed to execute 'add' on 'Cache': Request failed", load);
    expect(e).toBeInstanceOf(WebLlmLoadError);
    expect(e).not.toBeInstanceOf(WebLlmNetworkError);
    expect(e.message).toMatch(/the host answered with an error/);
  });

  it('device lost (web-llm\'s own DeviceLostError text), out of memory, quota', () => {
    const lost = webLlmErrorOf('DeviceLostError: The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM).', load);
    expect(lost).toBeInstanceOf(DeviceLostError);
    expect(lost.hint).toMatch(/smaller model/);
    expect(webLlmErrorOf('Error: GPUOutOfMemoryError: Not enough memory left', { ...load, phase: 'generate' })).toBeInstanceOf(GpuMemoryError);
    expect(webLlmErrorOf('QuotaExceededError: The quota has been exceeded.', load)).toBeInstanceOf(StorageQuotaError);
  });

  it('a model the adapter cannot run; no WebGPU', () => {
    const f16 = webLlmErrorOf('ShaderF16SupportError: This model requires WebGPU extension shader-f16, which is not enabled in this browser.', load);
    expect(f16).toBeInstanceOf(WebLlmUnsupportedModelError);
    expect(f16.hint).toMatch(/q4f32/);
    expect(webLlmErrorOf('Error: Cannot initialize runtime because of requested maxStorageBufferBindingSize exceeds limit. requested=128MB, limit=64MB. ', load)).toBeInstanceOf(WebLlmUnsupportedModelError);
    expect(webLlmErrorOf('WebGPUNotAvailableError: WebGPU is not supported in your current environment', load)).toBeInstanceOf(WebGPUUnavailableError);
  });

  it('anything else is a load failure that keeps web-llm\'s words; TuneLab\'s own errors pass through', () => {
    const other = webLlmErrorOf('Error: something new', load);
    expect(other).toBeInstanceOf(WebLlmLoadError);
    expect(other.message).toBe('Loading Qwen3-0.6B-q4f32_1-MLC failed (web-llm said: Error: something new).');
    const cancelled = new JobCancelledError('Stopped by you.');
    expect(webLlmErrorOf(cancelled, load)).toBe(cancelled);
  });
});
