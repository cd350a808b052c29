// GPT-2 forward: learned positions, pre-LayerNorm blocks with fused c_attn, tanh-GELU MLP, tied lm_head.
import { causalAttention, embeddingLookup, gelu, layerNorm } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';
import { linear, mergeHeads, param, splitHeads, type ForwardContext } from './forward-context';
import { chunkedEmbeddingLookup, chunkedProjection } from './row-chunks';

function gpt2Block(ctx: ForwardContext, layer: number, x: Tensor, B: number, T: number): Tensor {
  const d = ctx.dims;
  const p = `transformer.h.${layer}`;
  const h = layerNorm(x, param(ctx, `${p}.ln_1.weight`), param(ctx, `${p}.ln_1.bias`), d.normEps); // [B·T, C]
  const qkv = linear(ctx, `${p}.attn.c_attn`, h); // [B·T, 3C]
  const [q2, k2, v2] = tf.split(qkv, 3, 1); // each [B·T, C]
  const q = splitHeads(q2, B, T, d.heads, d.headDim); // [B, H, T, D]
  let k = splitHeads(k2, B, T, d.heads, d.headDim);
  let v = splitHeads(v2, B, T, d.heads, d.headDim);
  if (ctx.cache) ({ k, v } = ctx.cache.append(layer, k, v)); // [B, H, S, D]
  const attended = causalAttention(q, k, v, { bias: ctx.attentionBias }); // [B, H, T, D]
  x = tf.add(x, linear(ctx, `${p}.attn.c_proj`, mergeHeads(attended)));
  const h2 = layerNorm(x, param(ctx, `${p}.ln_2.weight`), param(ctx, `${p}.ln_2.bias`), d.normEps);
  const mlp = linear(ctx, `${p}.mlp.c_proj`, gelu(linear(ctx, `${p}.mlp.c_fc`, h2))); // [B·T, C]
  return tf.add(x, mlp);
}

/** ids int32 [B, T] → logits [B, T, V] (or [B, 1, V] with ctx.lastOnly). */
export function gpt2Forward(ctx: ForwardContext, ids: Tensor): Tensor {
  const [B, T] = ids.shape;
  const d = ctx.dims;
  const wte = ctx.table('transformer.wte.weight'); // [V, C] as row chunks
  const positions = tf.range(ctx.pastLength, ctx.pastLength + T, 1, 'int32'); // [T]
  const tokens = tf.reshape(chunkedEmbeddingLookup(wte, tf.reshape(ids, [-1])), [B, T, d.hidden]);
  const pos = tf.reshape(embeddingLookup(param(ctx, 'transformer.wpe.weight'), positions), [1, T, d.hidden]);
  let x = tf.reshape(tf.add(tokens, pos), [B * T, d.hidden]); // [B·T, C]
  for (let i = 0; i < d.layers; i++) x = gpt2Block(ctx, i, x, B, T);
  x = layerNorm(x, param(ctx, 'transformer.ln_f.weight'), param(ctx, 'transformer.ln_f.bias'), d.normEps);
  if (ctx.lastOnly) x = tf.reshape(tf.slice(tf.reshape(x, [B, T, d.hidden]), [0, T - 1, 0], [B, 1, d.hidden]), [B, d.hidden]);
  const logits = chunkedProjection(x, wte); // [B·T, V]
  return tf.reshape(logits, [B, ctx.lastOnly ? 1 : T, d.vocabSize]);
}
