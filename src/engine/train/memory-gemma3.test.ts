// The memory estimate and GPU-fit check at google/gemma-3-270m's shapes, against hand-computed numbers.
import { describe, expect, it } from 'vitest';
import { checkGpuFit } from '../hub/memory-fit';
import { GEMMA3_270M } from '../models/testing/gemma3-270m';
import { estimateTrainMemory } from './memory';

const lora = { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['q_proj', 'v_proj'] };

describe('memory estimate: google/gemma-3-270m', () => {
  it('weights, LoRA parameters and activations at batch 1, sequence 256', () => {
    const m = estimateTrainMemory(GEMMA3_270M, { method: 'lora', lora, batchSize: 1, maxSeqLen: 256, baseWeights: 'f32' });
    expect(m.weights).toBe(4 * 268_098_176); // tied head: the 262,144 × 640 embedding counted once
    expect(m.trainableParams).toBe(18 * 8 * (640 + 1024 + 640 + 256)); // q_proj 640→1024, v_proj 640→256
    // Per token (activation-memory.ts, Llama-shaped block + q/k norms): 13.5·640 + 7·2048 + 19·1024 + 19·256
    // + 2·(1024 + 256) = 49,856 per layer; 18 layers, 4·640 around them, logits and their gradient 2·262,144.
    expect(m.activations).toBe(4 * 256 * (18 * 49_856 + 4 * 640 + 2 * 262_144));
    const f16 = estimateTrainMemory(GEMMA3_270M, { method: 'lora', lora, batchSize: 1, maxSeqLen: 256, baseWeights: 'f16' });
    // An f16 base holds its linear weights as f16 only: 2 bytes less per linear weight.
    expect(m.weights - f16.weights).toBe(2 * 18 * (640 * 1024 * 2 + 640 * 256 * 2 + 3 * 640 * 2048));
  });

  it('the 640 MiB embedding is split into row chunks; 262,144-wide logits are made in row chunks under a 128 MiB binding', () => {
    const limits = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 };
    const short = checkGpuFit(GEMMA3_270M, limits, { method: 'lora', lora, batchSize: 1, maxSeqLen: 128 });
    expect(short.reasons).toEqual([]);
    expect(short.largestBuffer.bytes).toBe(128 * 2 ** 20); // logits [1, 128, 262144] float32, exactly the limit
    const long = checkGpuFit(GEMMA3_270M, limits, { method: 'lora', lora, batchSize: 1, maxSeqLen: 256 });
    expect(long.reasons).toEqual([]);
    expect(long.largestBuffer.what).toMatch(/^logits \[1, 256, 262144\] float32 at batch 1, sequence 256, in row chunks of 128 of its 256 rows$|embed_tokens/);
    expect(long.largestBuffer.bytes).toBeLessThanOrEqual(128 * 2 ** 20);
    const big = checkGpuFit(GEMMA3_270M, { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 31 }, { method: 'lora', lora, batchSize: 1, maxSeqLen: 256 });
    expect(big.fits).toBe(true);
  });
});
