// The engine on the CPU backend matches float64 PyTorch fixtures (scripts/golden/make_fixtures.py) to 1e-4.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { setBufferLimitOverride } from '../backend/buffer-limit';
import { runGoldenChecks, scaledError, type GoldenFixture } from './golden-check';
import gpt2 from '../models/fixtures/gpt2.json';
import llama from '../models/fixtures/llama.json';
import qwen2 from '../models/fixtures/qwen2.json';
import qwen3 from '../models/fixtures/qwen3.json';
import qwen3Bias from '../models/fixtures/qwen3-bias.json';
import gemma3 from '../models/fixtures/gemma3.json';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('golden fixtures (float32 engine vs float64 PyTorch)', () => {
  it.each([gpt2, llama, qwen2, qwen3, qwen3Bias, gemma3] as unknown as GoldenFixture[])('$name: logits, loss, LoRA gradients, AdamW steps', async (fixture) => {
    const report = await runGoldenChecks(fixture);
    for (const check of report.checks) console.log(`${check.error.toExponential(2)}  ${fixture.name}: ${check.what}`);
    for (const check of report.checks) expect(check.error, check.what).toBeLessThanOrEqual(1e-4);
  });

  // The logits in row chunks of 4 tokens (V = 13 floats, 52 bytes a row), as Qwen3's at seq 256 on a 128 MiB GPU: loss,
  // LoRA and full fine-tuning gradients (into the tied head too) and the AdamW steps against the same fixtures.
  it.each([gpt2, qwen3, gemma3] as unknown as GoldenFixture[])('$name: the same with the logits in row chunks', async (fixture) => {
    const V = (fixture.config as { vocab_size: number }).vocab_size;
    setBufferLimitOverride(4 * 4 * V);
    try {
      const report = await runGoldenChecks(fixture, { maxBufferBytes: Infinity });
      for (const check of report.checks) console.log(`${check.error.toExponential(2)}  ${fixture.name} (logits in chunks): ${check.what}`);
      for (const check of report.checks) expect(check.error, check.what).toBeLessThanOrEqual(1e-4);
    } finally {
      setBufferLimitOverride(null);
    }
  });

  it('the error measure fails on a real difference', () => {
    expect(scaledError([1, 2.001], [1, 2])).toBeGreaterThan(1e-4);
    expect(scaledError([1, 2], [1, 2])).toBe(0);
  });
});
