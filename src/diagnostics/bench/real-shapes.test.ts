// The real-shape entries: exact Hub shapes, and the LoRA step's model FLOPs on a shape small enough to count by hand.
import { describe, expect, it } from 'vitest';
import { modelDims } from '../../engine/models/dims';
import { llamaLoraStepFlops, QWEN3_06B, QWEN3_06B_2_LAYERS, SMOLLM2_135M } from './real-shapes';

describe('real-shape bench entries', () => {
  it('copy the published configs', () => {
    const s = modelDims(SMOLLM2_135M.config);
    expect([s.hidden, s.layers, s.heads, s.kvHeads, s.headDim, s.intermediate, s.vocabSize, s.tiedEmbeddings]).toEqual([576, 30, 9, 3, 64, 1536, 49152, true]);
    const q = modelDims(QWEN3_06B.config);
    expect([q.hidden, q.layers, q.heads, q.kvHeads, q.headDim, q.intermediate, q.vocabSize, q.tiedEmbeddings, q.qkvBias]).toEqual([1024, 28, 16, 8, 128, 3072, 151936, true, false]);
    expect([SMOLLM2_135M.seq, QWEN3_06B.seq, QWEN3_06B.baseWeights, QWEN3_06B.gradientCheckpointing]).toEqual([256, 256, 'f16', true]);
    // The loss check's short entry: Qwen3-0.6B's vocabulary, widths and setting, 2 layers.
    const short = modelDims(QWEN3_06B_2_LAYERS.config);
    expect({ ...short, layers: 28 }).toEqual(q);
    expect([short.layers, QWEN3_06B_2_LAYERS.seq, QWEN3_06B_2_LAYERS.baseWeights, QWEN3_06B_2_LAYERS.gradientCheckpointing]).toEqual([2, 32, 'f16', true]);
  });

  it('count a LoRA step by hand: C 4, 2 heads of 2, 1 kv head, MLP 8, vocab 10, one layer, 3 tokens, r 1', () => {
    // Dense per token 2·(16 + 8 + 8 + 16 + 32 + 32 + 32) = 288, forward + input gradients 576; attention 4·T·Q = 48,
    // three times; LoRA 2·(8 + 6 + 6 + 8 + 12 + 12 + 12) = 128, three times; tied head 2·4·10 = 80, twice.
    const config = { ...SMOLLM2_135M.config, hidden_size: 4, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 2, intermediate_size: 8, vocab_size: 10, num_hidden_layers: 1 };
    expect(llamaLoraStepFlops(config, 3, 3, 1)).toBe(3 * (576 + 3 * 48 + 3 * 128 + 2 * 80));
  });
});
