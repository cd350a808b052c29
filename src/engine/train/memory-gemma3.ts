// Activations one Gemma 3 layer keeps for the backward pass, at its real widths (q/k/v are heads·head_dim, not hidden).
import type { ModelDims } from '../models/dims';

/**
 * Elements (float32) per layer for `tokens` = batch·T positions. Hidden-wide: the stream, the four (1 + w) norms'
 * inputs and outputs (input, post-attention, pre- and post-feed-forward), the o_proj and down_proj outputs and the two
 * residual sums (10). Query-wide: the projection, its q_norm, rotary and scaled copies and the attention output (4·H·D);
 * key/value-wide: k, k_norm, rotary, v (4·Hkv·D). MLP-wide: gate, gelu(gate), up and the GeGLU product (4·I). Plus the
 * attention scores and probabilities [B, H, T, T]; a sliding layer's extra bias is [1, 1, T, T] and left out.
 */
export function gemma3LayerActivations(d: ModelDims, tokens: number, batch: number, T: number): number {
  const q = d.heads * d.headDim;
  const kv = d.kvHeads * d.headDim;
  return tokens * (10 * d.hidden + 4 * q + 4 * kv + 4 * d.intermediate) + 2 * batch * d.heads * T * T;
}
