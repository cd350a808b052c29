// The picker's filter against web-llm's own prebuilt list: hand-worked sizes, and each reason a model is hidden or disabled.
import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig, type ModelRecord } from '@mlc-ai/web-llm';
import { assessModel, assessModels, bitsPerWeight, defaultVramBudgetMB, downloadEstimateMB, nominalParameters, quantizationOf, requiredFeatures, type AdapterSummary } from './models';

const GiB = 1 << 30;
const desktop: AdapterSummary = { features: ['shader-f16'], maxBufferSize: 4 * GiB, maxStorageBufferBindingSize: 2 * GiB };
const record = (id: string) => {
  const r = prebuiltAppConfig.model_list.find((m) => m.model_id === id);
  if (!r) throw new Error(`${id} is no longer in web-llm's prebuilt list`);
  return r;
};

describe('web-llm model ids', () => {
  it('reads quantization, bits per weight and the nominal parameter count', () => {
    expect(quantizationOf('Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toBe('q4f16_1');
    expect(quantizationOf('SmolLM2-135M-Instruct-q0f32-MLC')).toBe('q0f32');
    expect(quantizationOf('Llama-3.1-8B-Instruct-q4f32_1-MLC-1k')).toBe('q4f32_1');
    // 4-bit weights with one f16 scale per 32: 4 + 16/32; q3 groups 40.
    expect(bitsPerWeight('q4f16_1')).toBe(4.5);
    expect(bitsPerWeight('q4f32_1')).toBe(5);
    expect(bitsPerWeight('q0f16')).toBe(16);
    expect(bitsPerWeight('q3f16_1')).toBeCloseTo(3.4, 10);
    expect(nominalParameters('SmolLM2-360M-Instruct-q4f16_1-MLC')).toBe(360e6);
    expect(nominalParameters('Llama-3.1-8B-Instruct-q4f32_1-MLC')).toBe(8e9);
    expect(nominalParameters('stablelm-2-zephyr-1_6b-q4f16_1-MLC')).toBe(1.6e9);
    expect(nominalParameters('Qwen3.5-0.8B-q4f16_1-MLC')).toBe(0.8e9);
    expect(nominalParameters('phi-2-q4f16_1-MLC')).toBeUndefined();
    expect(nominalParameters('gemma-4-E2B-it-q4f16_1-MLC')).toBeUndefined();
    expect(nominalParameters('Phi-3-mini-4k-instruct-q4f16_1-MLC')).toBeUndefined();
  });

  it('estimates the download by hand: 0.5e9 × 4.5 bits / 8 / 2^20 = 268.2 MB', () => {
    expect(downloadEstimateMB('Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toBeCloseTo((0.5e9 * 4.5) / 8 / 1048576, 6);
    expect(downloadEstimateMB('Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toBeCloseTo(268.2, 1);
    expect(downloadEstimateMB('SmolLM2-135M-Instruct-q0f32-MLC')).toBeCloseTo((135e6 * 4) / 1048576, 6);
    expect(downloadEstimateMB('phi-2-q4f16_1-MLC')).toBeUndefined();
  });

  it('every f16 build needs shader-f16, listed in its record or not', () => {
    expect(record('Llama-3.2-1B-Instruct-q4f16_1-MLC').required_features).toBeUndefined();
    expect(requiredFeatures(record('Llama-3.2-1B-Instruct-q4f16_1-MLC'))).toEqual(['shader-f16']);
    expect(requiredFeatures(record('SmolLM2-360M-Instruct-q0f16-MLC'))).toEqual(['shader-f16']);
    expect(requiredFeatures(record('Llama-3.2-1B-Instruct-q4f32_1-MLC'))).toEqual([]);
  });
});

describe('assessModel', () => {
  it('offers a small model on a desktop adapter, with its sizes', () => {
    const c = assessModel(record('SmolLM2-360M-Instruct-q4f16_1-MLC'), desktop, 4096);
    expect(c).toMatchObject({ status: 'ok', quantization: 'q4f16_1', lowResource: true, vramMB: 376.06, contextWindow: 4096 });
    expect(c.downloadMB).toBeCloseTo((360e6 * 4.5) / 8 / 1048576, 6);
    expect(c.weightsUrl).toBe('https://huggingface.co/mlc-ai/SmolLM2-360M-Instruct-q4f16_1-MLC');
  });

  it('hides embedding models, disables f16 builds without shader-f16, and says so', () => {
    expect(assessModel(record('snowflake-arctic-embed-s-q0f32-MLC-b4'), desktop, 4096)).toMatchObject({ status: 'hidden', reason: expect.stringMatching(/embedding model/) });
    const noF16 = { ...desktop, features: [] };
    const c = assessModel(record('Qwen2.5-0.5B-Instruct-q4f16_1-MLC'), noF16, 4096);
    expect(c.status).toBe('disabled');
    expect(c.reason).toMatch(/needs the WebGPU feature shader-f16.*q4f32_1 build/);
    expect(assessModel(record('Qwen2.5-0.5B-Instruct-q4f32_1-MLC'), noF16, 4096).status).toBe('ok');
  });

  it('below a 1 GB storage binding only low-resource builds run; a record\'s own binding size is checked', () => {
    const small = { ...desktop, maxStorageBufferBindingSize: 256 * 1024 * 1024 };
    expect(assessModel(record('Llama-3.1-8B-Instruct-q4f16_1-MLC'), small, 1e6)).toMatchObject({ status: 'disabled', reason: expect.stringMatching(/256 MB, under 1 GB/) });
    expect(assessModel(record('Llama-3.1-8B-Instruct-q4f16_1-MLC-1k'), small, 1e6).status).toBe('ok');
    // gemma-2b-it needs a 250 MB binding (262,144,000 bytes).
    const tiny = { ...desktop, maxStorageBufferBindingSize: 200 * 1024 * 1024 };
    expect(assessModel(record('gemma-2b-it-q4f32_1-MLC-1k'), tiny, 1e6)).toMatchObject({ status: 'disabled', reason: expect.stringMatching(/needs a 250 MB storage buffer binding; this adapter allows 200 MB/) });
    const hopeless = { ...desktop, maxStorageBufferBindingSize: 64 * 1024 * 1024 };
    expect(assessModel(record('SmolLM2-135M-Instruct-q0f32-MLC'), hopeless, 1e6).reason).toMatch(/too small for web-llm/);
  });

  it('compares web-llm\'s VRAM estimate with the budget: over it disabled, within 80–100 % warned', () => {
    expect(assessModel(record('Llama-3.2-1B-Instruct-q4f16_1-MLC'), desktop, 800)).toMatchObject({ status: 'disabled', reason: expect.stringMatching(/≈ 879 MB of GPU memory \(web-llm's estimate\), over the 800 MB allowed/) });
    expect(assessModel(record('Llama-3.2-1B-Instruct-q4f16_1-MLC'), desktop, 1000)).toMatchObject({ status: 'ok', warning: expect.stringMatching(/close to the 1000 MB/) });
    expect(defaultVramBudgetMB(desktop)).toBe(4096);
    expect(defaultVramBudgetMB({ ...desktop, maxStorageBufferBindingSize: GiB / 2 })).toBe(1024);
  });

  it('judges all 165 prebuilt records without failing, keeping their order', () => {
    const all = assessModels(prebuiltAppConfig.model_list, desktop, 4096);
    expect(all.map((c) => c.id)).toEqual(prebuiltAppConfig.model_list.map((r: ModelRecord) => r.model_id));
    expect(all.filter((c) => c.status === 'hidden').every((c) => /embed/.test(c.id))).toBe(true);
    expect(all.filter((c) => c.status === 'ok').length).toBeGreaterThan(20);
    expect(all.every((c) => c.status === 'ok' || c.reason)).toBe(true);
  });
});
