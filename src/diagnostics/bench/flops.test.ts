// Checks the step FLOP formula against hand-computed values and against the independent 6·N·D + attention rule.
import { describe, expect, it } from 'vitest';
import { gflopsPerSecond, gpt2TrainStepFlops, matmulFlops } from './flops';

const tiny = { d: 128, layers: 4, vocab: 512, seq: 64, tokens: 8 * 64 };

describe('gpt2TrainStepFlops', () => {
  it('full fine-tuning of the tiny GPT matches a hand count', () => {
    // Per token: 4 layers × (24·128² + 2·128·65) + 2·128·512 = 4 × 409,856 + 131,072 = 1,770,496.
    const f = gpt2TrainStepFlops({ ...tiny, trainable: 'full' });
    expect(f.forward).toBe(1_770_496 * 512);
    expect(f.backward).toBe(2 * f.forward);
    expect(f.total).toBe(2_719_481_856);
  });

  it('full fine-tuning agrees with 6·N·tokens + causal attention 6·L·d·(T+1)·tokens (PaLM\'s 12·L·T·d over the triangle)', () => {
    const d = 768, layers = 12, vocab = 50257, seq = 128, tokens = 4 * 128;
    const matmulParams = layers * 12 * d * d + vocab * d; // weights that multiply (tied lm_head included)
    const expected = 6 * matmulParams * tokens + 6 * layers * d * (seq + 1) * tokens;
    expect(gpt2TrainStepFlops({ d, layers, vocab, seq, tokens, trainable: 'full' }).total).toBe(expected);
  });

  it('LoRA skips the frozen weight gradients and layer 0\'s input gradient, and adds the adapters', () => {
    const r = 8;
    const f = gpt2TrainStepFlops({ ...tiny, trainable: 'lora', loraRank: r, loraTargets: ['c_attn', 'c_proj', 'c_fc'] });
    const d = 128;
    const dense = 24 * d * d, attention = 2 * d * 65, lmHead = 2 * d * 512;
    const adapters = 2 * r * ((d + 3 * d) + (d + d) + (d + 4 * d) + (4 * d + d)); // c_proj matches both attn and mlp
    const layer0 = 2 * d * 3 * d + 2 * r * d; // c_attn's x·W and dh·A input gradients in layer 0
    expect(f.forward).toBe((4 * (dense + attention + adapters) + lmHead) * 512);
    expect(f.backward).toBe((4 * (dense + 2 * attention + 2 * adapters) + lmHead - layer0) * 512);
    // By hand: forward 1,901,568 and backward 1,998,848 per token (4 × 492,032 + 131,072 − 100,352).
    expect(f.total).toBe((1_901_568 + 1_998_848) * 512);
    const full = gpt2TrainStepFlops({ ...tiny, trainable: 'full' });
    expect(f.total).toBeLessThan(full.total);
    expect(f.total).toBeGreaterThan((2 / 3) * full.total);
  });

  it('only targeted modules get adapters', () => {
    const attnOnly = gpt2TrainStepFlops({ ...tiny, trainable: 'lora', loraRank: 8, loraTargets: ['c_attn'] });
    const base = gpt2TrainStepFlops({ ...tiny, trainable: 'lora', loraRank: 8, loraTargets: ['nothing_here'] });
    expect(attnOnly.forward - base.forward).toBe(4 * 2 * 8 * (128 + 384) * 512);
  });

  it('refuses LoRA without a rank', () => {
    expect(() => gpt2TrainStepFlops({ ...tiny, trainable: 'lora', loraTargets: ['c_attn'] })).toThrow(/loraRank/);
  });
});

describe('gflopsPerSecond', () => {
  it('divides FLOPs by seconds', () => {
    expect(gflopsPerSecond(matmulFlops(1024, 1024, 1024), 200)).toBeCloseTo(10.737, 3);
    expect(gflopsPerSecond(1e9, null)).toBeNull();
    expect(gflopsPerSecond(1e9, 0)).toBeNull();
  });
});
