// Llama-family forward (Llama, SmolLM2, TinyLlama, Qwen2, Qwen3): RMSNorm, rotary, grouped-query attention, SwiGLU.
import { causalAttention, rmsNorm, rmsNormStream, swiglu } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';
import { attentionOptions, linear, mergeHeads, param, splitHeads, type ForwardContext } from './forward-context';
import { headRmsNorm } from './qwen3';
import { checkpointedBlock } from './checkpoint-block';
import { applyRotary } from './rotary';
import { chunkedEmbeddingLookup } from './row-chunks';
import { sharedPrefixAttention } from './shared-prefix-attention';

function llamaBlock(ctx: ForwardContext, layer: number, x: Tensor, B: number, T: number, cos: Tensor, sin: Tensor): Tensor {
  const d = ctx.dims;
  const p = `model.layers.${layer}`;
  // Each norm hands the stream on (skip); o_proj and down_proj add it back in their epilogues.
  const [h, skip] = rmsNormStream(x, param(ctx, `${p}.input_layernorm.weight`), d.normEps); // [B·T, C]
  // Qwen3 normalises each q and k head (q_norm/k_norm) before rotary; identity for the other families.
  const qh = headRmsNorm(ctx, `${p}.self_attn.q_norm`, linear(ctx, `${p}.self_attn.q_proj`, h), d.heads); // [B·T, H·D]
  const kh = headRmsNorm(ctx, `${p}.self_attn.k_norm`, linear(ctx, `${p}.self_attn.k_proj`, h), d.kvHeads); // [B·T, Hkv·D]
  const q = applyRotary(splitHeads(qh, B, T, d.heads, d.headDim), cos, sin); // [B, H, T, D]
  let k = applyRotary(splitHeads(kh, B, T, d.kvHeads, d.headDim), cos, sin); // [B, Hkv, T, D]
  let v = splitHeads(linear(ctx, `${p}.self_attn.v_proj`, h), B, T, d.kvHeads, d.headDim);
  let attended: Tensor; // [B, H, T, D]
  const prefix = ctx.cache?.sharedPrefix(layer);
  if (ctx.cache && prefix) {
    // Shared-prefix mode (exposure's prefix tree): keys were rotated at their absolute positions before caching, and
    // this call's rows sit at cache.length on, so the prefix held once reads the same as a per-row copy.
    ({ k, v } = ctx.cache.append(layer, k, v)); // the rows' own positions [B, Hkv, L, D]
    attended = sharedPrefixAttention(q, prefix.k, prefix.v, k, v);
  } else {
    if (ctx.cache) ({ k, v } = ctx.cache.append(layer, k, v)); // [B, Hkv, S, D]
    attended = causalAttention(q, k, v, attentionOptions(ctx));
  }
  x = linear(ctx, `${p}.self_attn.o_proj`, mergeHeads(attended), skip);
  const [h2, skip2] = rmsNormStream(x, param(ctx, `${p}.post_attention_layernorm.weight`), d.normEps);
  const gated = swiglu(linear(ctx, `${p}.mlp.gate_proj`, h2), linear(ctx, `${p}.mlp.up_proj`, h2)); // [B·T, I]
  return linear(ctx, `${p}.mlp.down_proj`, gated, skip2);
}

/** ids int32 [B, T] → final hidden states [B·T, C] (or [B, C] with ctx.lastOnly), before the output head. */
export function llamaForward(ctx: ForwardContext, ids: Tensor, cos: Tensor, sin: Tensor): Tensor {
  const [B, T] = ids.shape;
  const d = ctx.dims;
  const embed = ctx.table('model.embed_tokens.weight'); // [V, C] as row chunks
  let x = chunkedEmbeddingLookup(embed, tf.reshape(ids, [-1])); // [B·T, C]
  for (let i = 0; i < d.layers; i++) x = checkpointedBlock(ctx, `model.layers.${i}.`, x, [cos, sin], (c, h, [cs, sn]) => llamaBlock(c, i, h, B, T, cs, sn));
  x = rmsNorm(x, param(ctx, 'model.norm.weight'), d.normEps);
  if (ctx.lastOnly) x = tf.reshape(tf.slice(tf.reshape(x, [B, T, d.hidden]), [0, T - 1, 0], [B, 1, d.hidden]), [B, d.hidden]);
  return x;
}
