// What one forward pass needs besides the ids: weights, optional LoRA, KV cache, padding mask, dropout seeds.
import { loraLinear, type AttentionOptions, type LoraBranch } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';
import type { HalfWeight } from '../backend/kernels/lora-linear/half-weight';
import type { KvCache } from './kv-cache';
import type { ModelDims } from './dims';
import type { LinearModuleSpec } from './params';

/** What the forward pass asks of a LoRA adapter (lora/adapter.ts's LoraAdapter is one): the branch of each linear module, if any. */
export interface LoraBranches {
  branch(module: string, dropoutSeed: (() => number) | null): LoraBranch | null;
}

export interface ForwardContext {
  dims: ModelDims;
  params: Map<string, Tensor>;
  /** A [rows, C] table (embedding, lm_head) as its row chunks in order; one tensor unless it was split. */
  table: (name: string) => Tensor[];
  linears: Map<string, LinearModuleSpec>;
  /** Frozen base weights the linear layers read instead of `params` (f16 during LoRA training); empty for f32. */
  frozenLinearWeights: ReadonlyMap<string, Tensor | HalfWeight>;
  lora: LoraBranches | null;
  /** Draws a fresh dropout seed; null outside training (no dropout). */
  dropoutSeed: (() => number) | null;
  cache: KvCache | null;
  /** Absolute position of the first input token (the cache length when decoding). */
  pastLength: number;
  /** Causal (+ padding) attention bias from attentionBias(), shared by all layers: [1 or B, 1, T, S]. */
  attentionBias: Tensor;
  /** Key padding [B, S] (1 real, 0 padding) behind attentionBias; null when there is none. */
  keyMask: Tensor | null;
  /** Compute logits only for the last position (decoding). */
  lastOnly: boolean;
  /** Training with gradient checkpointing: the tensors being trained (see checkpoint-block.ts); null otherwise. */
  checkpoint?: ReadonlySet<Tensor> | null;
}

/** What every attention call of this pass needs: the bias for the composite ops, the mask as data for the fused kernel. */
export function attentionOptions(ctx: ForwardContext): AttentionOptions {
  return { bias: ctx.attentionBias, pastLength: ctx.pastLength, keyMask: ctx.keyMask };
}

export function param(ctx: ForwardContext, name: string): Tensor {
  const p = ctx.params.get(name);
  if (!p) throw new Error(`internal: missing parameter ${name}`);
  return p;
}

/**
 * The model's linear layer `module` on x [N, in] → [N, out], with its LoRA branch when one is attached, plus residual
 * [N, out] if given; on gelu(x) (tanh GELU) instead of x with inputGelu (GELU's backward then fused into the layer's).
 */
export function linear(ctx: ForwardContext, module: string, x: Tensor, residual: Tensor | null = null, inputGelu = false): Tensor {
  const spec = ctx.linears.get(module);
  if (!spec) throw new Error(`internal: unknown linear module ${module}`);
  const bias = spec.hasBias ? param(ctx, `${module}.bias`) : null;
  const branch = ctx.lora ? ctx.lora.branch(module, ctx.dropoutSeed) : null;
  const weight = `${module}.weight`;
  return loraLinear(x, ctx.frozenLinearWeights.get(weight) ?? param(ctx, weight), bias, branch, spec.layout, residual, inputGelu);
}

/** [B·T, H·D] → [B, H, T, D] */
export function splitHeads(x: Tensor, B: number, T: number, heads: number, headDim: number): Tensor {
  // One position (decoding, a prefix-tree level): [B, 1, H, D] and [B, H, 1, D] lie the same in memory, no copy.
  if (T === 1) return tf.reshape(x, [B, heads, 1, headDim]);
  return tf.transpose(tf.reshape(x, [B, T, heads, headDim]), [0, 2, 1, 3]);
}

/** [B, H, T, D] → [B·T, H·D] */
export function mergeHeads(x: Tensor): Tensor {
  const [B, H, T, D] = x.shape;
  if (T === 1) return tf.reshape(x, [B, H * D]); // one position: the same memory order either way
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * T, H * D]);
}
