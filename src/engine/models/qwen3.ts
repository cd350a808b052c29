// Qwen3 (Qwen3ForCausalLM) as Llama plus per-head q/k RMSNorm: its config rules, the q_norm/k_norm weights, the norm op.
import { rmsNorm } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';
import { UnsupportedArchitectureError } from '../errors';
import type { LlamaConfig } from './config';
import type { ModelDims } from './dims';
import { param, type ForwardContext } from './forward-context';
import type { ParamSpec } from './params';

/** HF Qwen3Config defaults that differ from Llama's: head_dim is its own field (128), not hidden/heads. */
const QWEN3_DEFAULT_HEAD_DIM = 128;
const QWEN3_DEFAULT_KV_HEADS = 32;

/**
 * A qwen3 config.json as the Llama fields the shared dims code reads, with HF's Qwen3Config defaults filled in,
 * refusing what TuneLab does not implement: sliding-window layers, scaled rotary (rope_scaling or a non-default
 * rope_parameters). Bias: attention_bias puts a bias on q, k, v and o alike (Qwen3Attention), as Llama's flag does.
 */
export function qwen3AsLlama(c: LlamaConfig): LlamaConfig {
  const raw = c as unknown as Record<string, unknown>;
  if (raw.use_sliding_window === true) {
    throw new UnsupportedArchitectureError(
      `This Qwen3 config sets use_sliding_window: true (sliding_window ${JSON.stringify(raw.sliding_window)}, max_window_layers ${JSON.stringify(raw.max_window_layers)}); TuneLab implements Qwen3 with full attention only.`,
      'Use the released Qwen3 dense checkpoints (Qwen/Qwen3-0.6B and up), which set use_sliding_window: false.',
    );
  }
  let ropeTheta = c.rope_theta;
  const rope = raw.rope_parameters as Record<string, unknown> | null | undefined;
  if (rope != null) {
    // transformers ≥ 5 writes rotary settings as rope_parameters {rope_type, rope_theta}.
    if (rope.rope_type !== undefined && rope.rope_type !== 'default') {
      throw new UnsupportedArchitectureError(`rope_parameters ${JSON.stringify(rope)} asks for "${String(rope.rope_type)}" rotary scaling; TuneLab implements plain rotary embeddings.`, 'Use a Qwen3 checkpoint without rotary scaling (the released Qwen3 dense models have none).');
    }
    if (ropeTheta == null && typeof rope.rope_theta === 'number') ropeTheta = rope.rope_theta;
  }
  return {
    ...c,
    head_dim: c.head_dim ?? QWEN3_DEFAULT_HEAD_DIM,
    num_key_value_heads: c.num_key_value_heads ?? QWEN3_DEFAULT_KV_HEADS,
    ...(ropeTheta != null ? { rope_theta: ropeTheta } : {}),
  };
}

/** q_norm and k_norm of one layer (`model.layers.{i}`): RMSNorm weights over head_dim, HF-initialised to 1. */
export function qkNormParams(d: ModelDims, layer: string): ParamSpec[] {
  if (!d.qkNorm) return [];
  return [
    { name: `${layer}.self_attn.q_norm.weight`, shape: [d.headDim], init: { kind: 'ones' } },
    { name: `${layer}.self_attn.k_norm.weight`, shape: [d.headDim], init: { kind: 'ones' } },
  ];
}

/**
 * Qwen3's q_norm / k_norm (`norm` is the module, e.g. `model.layers.0.self_attn.q_norm`): RMSNorm of each head's
 * vector, x [N, heads·D] → [N, heads·D], before rotary. Identity when the model has no q/k norms.
 */
export function headRmsNorm(ctx: ForwardContext, norm: string, x: Tensor, heads: number): Tensor {
  const d = ctx.dims;
  if (!d.qkNorm) return x;
  const N = x.shape[0] as number;
  const rows = tf.reshape(x, [N * heads, d.headDim]); // [N·heads, D]: one row per head
  return tf.reshape(rmsNorm(rows, param(ctx, `${norm}.weight`), d.normEps), [N, heads * d.headDim]);
}

/** Qwen3 variants outside the dense causal LM, refused by name before the generic "unsupported architecture" message. */
export function refuseQwen3Variants(modelType: unknown, architectures: string[]): void {
  if (modelType === 'qwen3_moe' || architectures.includes('Qwen3MoeForCausalLM')) {
    throw new UnsupportedArchitectureError(
      `This model is Qwen3MoeForCausalLM (model_type "${String(modelType)}"), Qwen3's mixture-of-experts variant; TuneLab runs the dense Qwen3ForCausalLM only.`,
      'Pick a dense Qwen3 checkpoint, e.g. Qwen/Qwen3-0.6B or Qwen/Qwen3-1.7B.',
    );
  }
}
