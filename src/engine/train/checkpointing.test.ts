// Gradient checkpointing computes the gradients of the plain pass: float64 PyTorch fixtures, dropout replay, no leaks (CPU backend).
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import type { GoldenFixture } from './golden-check';
import { runCheckpointingChecks } from './checkpointing-check';
import gpt2 from '../models/fixtures/gpt2.json';
import llama from '../models/fixtures/llama.json';
import qwen2 from '../models/fixtures/qwen2.json';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('gradient checkpointing', () => {
  it.each([gpt2, llama, qwen2] as unknown as GoldenFixture[])('$name: checkpointed gradients equal PyTorch and the plain pass', async (fixture) => {
    const r = await runCheckpointingChecks(fixture);
    expect(r.loraVsFixture, 'LoRA vs float64 PyTorch').toBeLessThanOrEqual(1e-4);
    expect(r.loraDropoutVsPlain, 'LoRA with dropout vs the plain pass').toBeLessThanOrEqual(1e-5);
    expect(r.fullVsReference, 'full fine-tuning').toBeLessThanOrEqual(1e-4);
    expect(r.leakedTensors).toBe(0);
  });
});
