// GPT-2 forward: learned positions, pre-LayerNorm blocks with fused c_attn, tanh-GELU MLP, tied lm_head.
import { cachedRowsAttention, causalAttention, treeAttentionLevels, embeddingLookup, layerNorm, layerNormStream, packedCausalAttention, packedKvCacheAvailable } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';
import { checkpointedBlock } from './checkpoint-block';
import { attentionOptions, linear, mergeHeads, param, splitHeads, type ForwardContext } from './forward-context';
import { chunkedEmbeddingLookup } from './row-chunks';
import { sharedPrefixAttention } from './shared-prefix-attention';

/** Attention over c_attn's packed output qkv [B·T, 3C] → [B·T, C] (heads merged), appending k/v to the cache when decoding. */
function gpt2Attention(ctx: ForwardContext, layer: number, qkv: Tensor, B: number, T: number): Tensor {
  const d = ctx.dims;
  if (!ctx.cache) return packedCausalAttention(qkv, B, T, d.heads, d.headDim, attentionOptions(ctx));
  const prefix = ctx.cache.sharedPrefix(layer);
  if (prefix && T === 1 && ctx.cache.treeLevels) {
    // A one-token tree level: ancestors read through their row indices, nothing copied per row (tree-attention.ts).
    const out = treeAttentionLevels(qkv, prefix.k, prefix.v, ctx.cache.ancestors(layer)); // [B, C]
    if (out) {
      ctx.cache.appendLevel(layer, qkv);
      return out;
    }
  }
  if (prefix) {
    // Shared-prefix mode (exposure's prefix tree): the rows cache only their own positions.
    const [q2, k2, v2] = tf.split(qkv, 3, 1); // each [B·T, C]
    const { k, v } = ctx.cache.append(layer, splitHeads(k2, B, T, d.heads, d.headDim), splitHeads(v2, B, T, d.heads, d.headDim)); // [B, H, L, D]
    return mergeHeads(sharedPrefixAttention(splitHeads(q2, B, T, d.heads, d.headDim), prefix.k, prefix.v, k, v));
  }
  if (packedKvCacheAvailable(d.headDim)) {
    const rows = ctx.cache.appendPackedRows(layer, qkv, B, T, d.hidden); // [B, S, 2C]
    return cachedRowsAttention(qkv, rows, { B, T, H: d.heads, D: d.headDim }, ctx.keyMask);
  }
  const [q2, k2, v2] = tf.split(qkv, 3, 1); // each [B·T, C]
  const q = splitHeads(q2, B, T, d.heads, d.headDim); // [B, H, T, D]
  const { k, v } = ctx.cache.append(layer, splitHeads(k2, B, T, d.heads, d.headDim), splitHeads(v2, B, T, d.heads, d.headDim)); // [B, H, S, D]
  return mergeHeads(causalAttention(q, k, v, attentionOptions(ctx)));
}

function gpt2Block(ctx: ForwardContext, layer: number, x: Tensor, B: number, T: number): Tensor {
  const d = ctx.dims;
  const p = `transformer.h.${layer}`;
  // Each norm hands the stream on (skip) and c_proj adds it back in its epilogue: x + c_proj(…) in one kernel.
  const [h, skip] = layerNormStream(x, param(ctx, `${p}.ln_1.weight`), param(ctx, `${p}.ln_1.bias`), d.normEps); // [B·T, C]
  const qkv = linear(ctx, `${p}.attn.c_attn`, h); // [B·T, 3C]
  x = linear(ctx, `${p}.attn.c_proj`, gpt2Attention(ctx, layer, qkv, B, T), skip);
  const [h2, skip2] = layerNormStream(x, param(ctx, `${p}.ln_2.weight`), param(ctx, `${p}.ln_2.bias`), d.normEps);
  // c_proj reads gelu(c_fc(h2)); with the fused kernels GELU's backward runs inside c_proj's input gradient.
  return linear(ctx, `${p}.mlp.c_proj`, linear(ctx, `${p}.mlp.c_fc`, h2), skip2, true); // [B·T, C]
}

/** ids int32 [B, T] → final hidden states [B·T, C] (or [B, C] with ctx.lastOnly), before the tied head (wte). */
export function gpt2Forward(ctx: ForwardContext, ids: Tensor): Tensor {
  const [B, T] = ids.shape;
  const d = ctx.dims;
  const wte = ctx.table('transformer.wte.weight'); // [V, C] as row chunks
  const positions = tf.range(ctx.pastLength, ctx.pastLength + T, 1, 'int32'); // [T]
  const tokens = tf.reshape(chunkedEmbeddingLookup(wte, tf.reshape(ids, [-1])), [B, T, d.hidden]);
  const pos = tf.reshape(embeddingLookup(param(ctx, 'transformer.wpe.weight'), positions), [1, T, d.hidden]);
  let x = tf.reshape(tf.add(tokens, pos), [B * T, d.hidden]); // [B·T, C]
  for (let i = 0; i < d.layers; i++) x = checkpointedBlock(ctx, `transformer.h.${i}.`, x, [], (c, h) => gpt2Block(c, i, h, B, T));
  x = layerNorm(x, param(ctx, 'transformer.ln_f.weight'), param(ctx, 'transformer.ln_f.bias'), d.normEps);
  if (ctx.lastOnly) x = tf.reshape(tf.slice(tf.reshape(x, [B, T, d.hidden]), [0, T - 1, 0], [B, 1, d.hidden]), [B, d.hidden]);
  return x;
}
