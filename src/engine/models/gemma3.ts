// Gemma 3 text forward (HF Gemma3ForCausalLM): scaled embeddings, (1 + w) RMSNorms around attention and MLP, q/k norms,
// sliding-window layers with their own rotary base beside global layers, GeGLU MLP, tied output head.
import { causalAttention, gelu, rmsNorm } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';
import type { Gemma3Dims } from './gemma3-config';
import { attentionOptions, linear, mergeHeads, param, splitHeads, type ForwardContext } from './forward-context';
import { applyRotary, rotaryTables } from './rotary';
import { chunkedEmbeddingLookup } from './row-chunks';
import { sharedPrefixAttention } from './shared-prefix-attention';
import type { AttentionOptions } from '../backend/ops';

/** Gemma3RMSNorm: x·rsqrt(mean(x²) + eps)·(1 + w) over the last axis, in float32. x [N, C], w [C]. */
function gemmaNorm(ctx: ForwardContext, x: Tensor, name: string): Tensor {
  return rmsNorm(x, tf.add(param(ctx, `${name}.weight`), 1), ctx.dims.normEps);
}

/**
 * The additive mask of a sliding layer: the shared causal (+ padding) bias plus −1e9 where key s is `window` or more
 * positions behind query t (absolute position pastLength + t). [1 or B, 1, T, S].
 */
function slidingBias(ctx: ForwardContext, T: number, S: number, window: number): Tensor {
  const bias = new Float32Array(T * S);
  for (let t = 0; t < T; t++) {
    for (let s = 0; s <= ctx.pastLength + t - window && s < S; s++) bias[t * S + s] = -1e9;
  }
  return tf.add(ctx.attentionBias, tf.tensor4d(bias, [1, 1, T, S]));
}

interface Rotary {
  cos: Tensor;
  sin: Tensor;
}

function gemmaBlock(ctx: ForwardContext, g: Gemma3Dims, layer: number, x: Tensor, B: number, T: number, rotary: Rotary, attention: AttentionOptions): Tensor {
  const d = ctx.dims;
  const p = `model.layers.${layer}`;
  const h = gemmaNorm(ctx, x, `${p}.input_layernorm`); // [B·T, C]
  // q/k norms act per head over head_dim, before rotary: [B·T, H·D] → [B·T·H, D] → back.
  const qn = tf.reshape(gemmaNorm(ctx, tf.reshape(linear(ctx, `${p}.self_attn.q_proj`, h), [-1, d.headDim]), `${p}.self_attn.q_norm`), [B * T, d.heads * d.headDim]);
  const kn = tf.reshape(gemmaNorm(ctx, tf.reshape(linear(ctx, `${p}.self_attn.k_proj`, h), [-1, d.headDim]), `${p}.self_attn.k_norm`), [B * T, d.kvHeads * d.headDim]);
  let q = applyRotary(splitHeads(qn, B, T, d.heads, d.headDim), rotary.cos, rotary.sin); // [B, H, T, D]
  let k = applyRotary(splitHeads(kn, B, T, d.kvHeads, d.headDim), rotary.cos, rotary.sin); // [B, Hkv, T, D]
  let v = splitHeads(linear(ctx, `${p}.self_attn.v_proj`, h), B, T, d.kvHeads, d.headDim);
  // causalAttention scales by head_dim^−½; Gemma by query_pre_attn_scalar^−½ (equal for the released models).
  const rescale = g.attentionScale * Math.sqrt(d.headDim);
  if (Math.abs(rescale - 1) > 1e-12) q = tf.mul(q, rescale);
  let attended: Tensor; // [B, H, T, D]
  const prefix = ctx.cache?.sharedPrefix(layer);
  if (ctx.cache && prefix) {
    // Shared-prefix mode (exposure's prefix tree): the prefix held once, rotated at its absolute positions; a sliding
    // layer masks keys `window` or more positions behind the query, prefix keys included.
    ({ k, v } = ctx.cache.append(layer, k, v)); // the rows' own positions [B, Hkv, L, D]
    attended = sharedPrefixAttention(q, prefix.k, prefix.v, k, v, g.slidingLayers[layer] ? g.slidingWindow : Infinity);
  } else {
    if (ctx.cache) ({ k, v } = ctx.cache.append(layer, k, v)); // [B, Hkv, S, D]
    attended = causalAttention(q, k, v, attention);
  }
  const attnOut = linear(ctx, `${p}.self_attn.o_proj`, mergeHeads(attended)); // [B·T, C]
  x = tf.add(x, gemmaNorm(ctx, attnOut, `${p}.post_attention_layernorm`));
  const h2 = gemmaNorm(ctx, x, `${p}.pre_feedforward_layernorm`);
  const gated = tf.mul(gelu(linear(ctx, `${p}.mlp.gate_proj`, h2)), linear(ctx, `${p}.mlp.up_proj`, h2)); // GeGLU, [B·T, I]
  return tf.add(x, gemmaNorm(ctx, linear(ctx, `${p}.mlp.down_proj`, gated), `${p}.post_feedforward_layernorm`));
}

/** ids int32 [B, T] → final hidden states [B·T, C] (or [B, C] with ctx.lastOnly), before the output head. */
export function gemma3Forward(ctx: ForwardContext, ids: Tensor): Tensor {
  const [B, T] = ids.shape as [number, number];
  const d = ctx.dims;
  const g = d.gemma3;
  if (!g) throw new Error('internal: gemma3Forward needs Gemma 3 dimensions');
  const S = ctx.pastLength + T;
  const global = rotaryTables(ctx.pastLength, T, d.headDim, d.ropeTheta);
  const local = rotaryTables(ctx.pastLength, T, d.headDim, g.localRopeTheta);
  const full = attentionOptions(ctx);
  // While every key is inside the window the sliding mask is the causal one, and the fused attention kernel applies.
  const sliding: AttentionOptions = S > g.slidingWindow ? { bias: slidingBias(ctx, T, S, g.slidingWindow) } : full;
  const embed = ctx.table('model.embed_tokens.weight'); // [V, C] as row chunks
  let x = tf.mul(chunkedEmbeddingLookup(embed, tf.reshape(ids, [-1])), g.embedScale); // [B·T, C]
  for (let i = 0; i < d.layers; i++) {
    x = g.slidingLayers[i] ? gemmaBlock(ctx, g, i, x, B, T, local, sliding) : gemmaBlock(ctx, g, i, x, B, T, global, full);
  }
  x = gemmaNorm(ctx, x, 'model.norm');
  if (ctx.lastOnly) x = tf.reshape(tf.slice(tf.reshape(x, [B, T, d.hidden]), [0, T - 1, 0], [B, 1, d.hidden]), [B, d.hidden]);
  return x;
}
