// The engine's hot ops behind named functions: model code calls only these, so fused WGSL kernels can replace them later.
import { tf, type Tensor } from './tf';
import { embeddingGather } from './kernels/embedding/embedding';
import { fusedGeluLinear, fusedGeluLinearEnabled, fusedLinear } from './kernels/lora-linear/lora-linear';
import { isHalfWeight, type HalfWeight } from './kernels/lora-linear/half-weight';
import { useFusedKernels } from './kernels/webgpu-backend';
import { fusedAttentionCachedRows, fusedAttentionHeads, fusedAttentionPacked, fusedEncoderAttention } from './kernels/attention/attention';
import { fusedAppendKvRows } from './kernels/attention/kv-cache-append';
import { fusedTreeAttention, fusedTreeAttentionLevels } from './kernels/attention/tree-attention';
import { fusedSoftmaxCrossEntropy, fusedWeightedArgmaxHits } from './kernels/cross-entropy/cross-entropy';
import { fusedPickLogSoftmax, pickLogSoftmaxFits } from './kernels/cross-entropy/pick-log-softmax';
import { fusedGelu } from './kernels/activations/gelu';
import { fusedLayerNorm, fusedLayerNormStream, fusedRmsNorm, fusedRmsNormStream } from './kernels/norm/norm';
import { fusedSwiglu } from './kernels/activations/swiglu';
import { PARTIAL_TOPK_MAX_K, partialTopk } from './kernels/topk/topk';

/** A LoRA branch for one linear layer, in PEFT layout: A [r, in], B [out, r]. */
export interface LoraBranch {
  A: Tensor;
  B: Tensor;
  scale: number;
  /** Dropout on the branch input (training only); 0 turns it off. */
  dropoutRate: number;
  /** Seed of this call's dropout mask; required when dropoutRate > 0. */
  dropoutSeed?: number;
}

/** 'in_out' is HF Conv1D (GPT-2) layout W [in, out]; 'out_in' is nn.Linear layout W [out, in]. */
export type WeightLayout = 'in_out' | 'out_in';

/**
 * y = x·W + bias + scale · dropout(x)·Aᵀ·Bᵀ (+ residual), never materialising W + B·A.
 * x [N, in] → y [N, out]; residual [N, out] (the skip connection, added in the fused kernel's epilogue).
 * W may be a frozen f16 weight (HalfWeight) on the fused WebGPU path only.
 * inputGelu: the layer reads gelu(x) (tanh GELU) instead of x; on the fused path without LoRA dropout, GELU's
 * backward then runs inside the input-gradient matmul (one dispatch less per layer in training).
 */
export function loraLinear(x: Tensor, W: Tensor | HalfWeight, bias: Tensor | null, lora: LoraBranch | null, layout: WeightLayout, residual: Tensor | null = null, inputGelu = false): Tensor {
  if (isHalfWeight(W) && !useFusedKernels()) {
    throw new Error('internal: f16 base weights were packed for the fused WebGPU kernels, which are off now; release them first');
  }
  if (inputGelu) {
    if (useFusedKernels() && fusedGeluLinearEnabled() && !(lora && lora.dropoutRate > 0)) {
      return tf.tidy(() => fusedGeluLinear(x, W, bias, layout, lora ? { A: lora.A, B: lora.B, scale: lora.scale } : null, residual));
    }
    return tf.tidy(() => loraLinear(gelu(x), W, bias, lora, layout, residual));
  }
  if (useFusedKernels()) {
    return tf.tidy(() => {
      const xd = lora && lora.dropoutRate > 0 ? tf.dropout(x, lora.dropoutRate, undefined, lora.dropoutSeed) : undefined;
      return fusedLinear(x, W, bias, layout, lora ? { A: lora.A, B: lora.B, scale: lora.scale, xd } : null, residual);
    });
  }
  return tf.tidy(() => {
    let y = tf.matMul(x as tf.Tensor2D, W as Tensor as tf.Tensor2D, false, layout === 'out_in'); // [N, out]
    if (bias) y = tf.add(y, bias);
    if (lora) {
      const xd = lora.dropoutRate > 0 ? tf.dropout(x, lora.dropoutRate, undefined, lora.dropoutSeed) : x;
      // Scale the narrow [N, r] intermediate rather than the [N, out] product.
      const h = tf.mul(tf.matMul(xd as tf.Tensor2D, lora.A as tf.Tensor2D, false, true), lora.scale); // [N, r]
      y = tf.add(y, tf.matMul(h as tf.Tensor2D, lora.B as tf.Tensor2D, false, true)); // [N, out]
    }
    return residual ? tf.add(residual, y) : y;
  });
}

/**
 * Additive attention bias [1, 1, T, S]: 0 where query t (absolute position pastLength + t) may see key s, else
 * −1e9; plus −1e9 on padded keys when keyMask [B, S] (1 real, 0 padding) is given → [B, 1, T, S]. Built once per
 * forward pass and shared by every layer.
 */
export function attentionBias(queryLength: number, keyLength: number, pastLength: number, keyMask: Tensor | null): Tensor {
  return tf.tidy(() => {
    const bias = new Float32Array(queryLength * keyLength);
    for (let t = 0; t < queryLength; t++) {
      for (let s = pastLength + t + 1; s < keyLength; s++) bias[t * keyLength + s] = -1e9;
    }
    const causal = tf.tensor4d(bias, [1, 1, queryLength, keyLength]);
    if (!keyMask) return causal;
    const B = keyMask.shape[0] as number;
    const padBias = tf.mul(tf.sub(1, tf.cast(keyMask, 'float32')), -1e9); // [B, S]
    return tf.add(causal, tf.reshape(padBias, [B, 1, 1, keyLength]));
  });
}

export interface AttentionOptions {
  /** From attentionBias(): the causal (and padding) mask, [1 or B, 1, T, S]. */
  bias: Tensor;
  /** The same mask as data, for the fused kernel (which builds it on the fly): cached positions and key padding [B, S]. */
  pastLength?: number;
  keyMask?: Tensor | null;
}

/**
 * Scaled dot-product causal attention with grouped-query heads (HF repeat_kv order: kv head j serves
 * query heads j·g … j·g+g−1). q [B, H, T, D], k/v [B, Hkv, S, D] → [B, H, T, D].
 */
export function causalAttention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions): Tensor {
  if (useFusedKernels() && options.pastLength !== undefined && (q.shape[3] as number) % 4 === 0) {
    return fusedAttentionHeads(q, k, v, options.pastLength, options.keyMask ?? null);
  }
  return tf.tidy(() => {
    const [B, H, T, D] = q.shape;
    const [, Hkv, S] = k.shape;
    const group = H / Hkv;
    // Fold the query heads that share a kv head into the query axis instead of copying K and V.
    const qg = tf.reshape(q, [B, Hkv, group * T, D]);
    let scores = tf.matMul(qg as tf.Tensor4D, k as tf.Tensor4D, false, true); // [B, Hkv, g·T, S]
    scores = tf.reshape(tf.mul(scores, 1 / Math.sqrt(D)), [B, H, T, S]);
    scores = tf.add(scores, options.bias);
    const probs = tf.reshape(tf.softmax(scores), [B, Hkv, group * T, S]);
    const out = tf.matMul(probs as tf.Tensor4D, v as tf.Tensor4D); // [B, Hkv, g·T, D]
    return tf.reshape(out, [B, H, T, D]);
  });
}

/**
 * Causal self-attention without a cache on a packed projection qkv [B·T, 3·H·D] (q, k, v heads side by side, as
 * GPT-2's c_attn writes them) → [B·T, H·D] with heads merged. The fused kernel reads and writes these layouts in place.
 */
export function packedCausalAttention(qkv: Tensor, B: number, T: number, heads: number, headDim: number, options: AttentionOptions): Tensor {
  if (useFusedKernels() && headDim % 4 === 0) return fusedAttentionPacked(qkv, { B, T, H: heads, Hkv: heads, D: headDim }, options.keyMask ?? null);
  return tf.tidy(() => {
    const [q, k, v] = tf.split(qkv, 3, 1).map((x) => tf.transpose(tf.reshape(x, [B, T, heads, headDim]), [0, 2, 1, 3])); // [B, H, T, D]
    const out = causalAttention(q, k, v, { bias: options.bias }); // [B, H, T, D]
    return tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [B * T, heads * headDim]);
  });
}

/** Whether decoding can keep GPT-2's KV cache as packed rows (appendKvRows + cachedRowsAttention): fused kernels on. */
export function packedKvCacheAvailable(headDim: number): boolean {
  return useFusedKernels() && headDim % 4 === 0;
}

/** Packed KV cache: rows [B, S, 2C] (null when empty) + the k/v columns of qkv [B·T, 3C] → [B, S+T, 2C]. One dispatch. */
export const appendKvRows = fusedAppendKvRows;

/**
 * One query per row over a shared prefix kp/vp [H, P, D] and the row's own tail kt/vt [B, H, L, D] (exposure's prefix
 * tree), keys before absolute position firstKey masked → [B, H, 1, D], in one dispatch where the fused kernels run;
 * null otherwise (the caller composes it from stock ops).
 */
export function treeAttentionOneToken(q: Tensor, kp: Tensor, vp: Tensor, kt: Tensor, vt: Tensor, firstKey: number): Tensor | null {
  return useFusedKernels() ? fusedTreeAttention(q, kp, vp, kt, vt, firstKey) : null;
}

/**
 * GPT-2's one-token prefix-tree level read through its ancestors' row indices (no per-row cache copies): qkv [B, 3C],
 * shared prefix kp/vp [H, P, D], ancestor levels' qkv [N_j, 3C] with row indices int32 [B] → [B, C]. Null without the
 * fused kernels (the caller then materialises the rows' caches and takes the stock path).
 */
export function treeAttentionLevels(qkv: Tensor, kp: Tensor, vp: Tensor, ancestors: readonly { qkv: Tensor; rows: Tensor }[]): Tensor | null {
  return useFusedKernels() ? fusedTreeAttentionLevels(qkv, kp, vp, ancestors) : null;
}

let exposureFast = true;

/**
 * The prefix tree's fast paths (tree-level caches read through row indices, the picked log-softmax): on by default;
 * the bench switches them off to time the path before them in the same run (A/B, `exposureRank.previous`).
 */
export function setExposureFastPaths(on: boolean): void {
  exposureFast = on;
}

export function exposureFastPaths(): boolean {
  return exposureFast;
}

/** logits [N, V], ids int32 [K] → log_softmax(logits)[:, ids] [N, K]: one dispatch where it can, else stock ops. */
export function pickLogSoftmax(logits: Tensor, ids: Tensor): Tensor {
  if (ids.shape[0] === 0) return tf.zeros([logits.shape[0] as number, 0]);
  if (exposureFast && useFusedKernels() && pickLogSoftmaxFits(logits.shape[1] as number)) return fusedPickLogSoftmax(logits, asInt32(ids));
  return tf.tidy(() => tf.gather(tf.logSoftmax(logits), ids, 1));
}

/** Attention of qkv's queries [B·T, 3C] over packed cache rows [B, S, 2C] (last T rows are this call's) → [B·T, C]. */
export const cachedRowsAttention = fusedAttentionCachedRows;

/**
 * Σ weights·(−log softmax(logits)[target]) / denominator, as a scalar. logits [N, V], targets int32 [N],
 * weights [N]. Its gradient is (softmax − onehot)·w/denominator, written out so no gather gradient is needed.
 */
export function softmaxCrossEntropy(logits: Tensor, targets: Tensor, weights: Tensor, denominator: number): Tensor {
  if (useFusedKernels()) return fusedSoftmaxCrossEntropy(logits, asInt32(targets), weights, denominator);
  const [, V] = logits.shape;
  const loss = tf.customGrad(((x: Tensor, save: tf.GradSaveFunc) => {
    // Saved tensors are kept by the engine until backprop, even after the caller's tidy disposed its own.
    save([x, targets, weights]);
    const value = tf.tidy(() => {
      const nll = tf.sub(tf.logSumExp(x, 1), targetLogits(x, targets, V)); // [N]
      return tf.div(tf.sum(tf.mul(nll, weights)), denominator);
    });
    const gradFunc = (dy: Tensor, saved: Tensor[]) =>
      tf.tidy(() => {
        const [savedLogits, savedTargets, savedWeights] = saved;
        const probs = tf.softmax(savedLogits); // [N, V]
        const diff = tf.sub(probs, tf.oneHot(asInt32(savedTargets), V)); // [N, V]
        const w = tf.reshape(tf.mul(savedWeights, tf.div(dy, denominator)), [-1, 1]); // [N, 1]
        return tf.mul(diff, w);
      });
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return loss(logits);
}

/**
 * logits[n, targets[n]] as [N]: a gather on the flattened logits at n·V + target, which avoids a [N, V] one-hot.
 * Forward only (the gather's gradient is missing on wasm); softmaxCrossEntropy supplies its own gradient.
 */
function targetLogits(logits: Tensor, targets: Tensor, V: number): Tensor {
  const N = logits.shape[0] as number;
  const flatIndex = tf.add(tf.mul(tf.range(0, N, 1, 'int32'), tf.scalar(V, 'int32')), asInt32(targets)); // [N]
  return tf.gather(tf.reshape(logits, [-1]), flatIndex);
}

/** Rows whose argmax is the target and whose weight is > 0, as a float scalar. logits [N, V], targets [N], weights [N]. */
export function weightedArgmaxHits(logits: Tensor, targets: Tensor, weights: Tensor): Tensor {
  if (useFusedKernels()) return fusedWeightedArgmaxHits(logits, asInt32(targets), weights);
  return tf.tidy(() => {
    const hits = tf.cast(tf.equal(tf.argMax(logits, 1), targets), 'float32'); // [N]
    return tf.sum(tf.mul(hits, tf.cast(tf.greater(weights, 0), 'float32')));
  });
}

/** Int ids as int32 without a copy when they already are. */
function asInt32(t: Tensor): tf.Tensor1D {
  return (t.dtype === 'int32' ? t : tf.cast(t, 'int32')) as tf.Tensor1D;
}

/** Per-token log-probabilities log softmax(logits)[target]: logits [N, V], targets int32 [N] → [N]. No gradient use. */
export function targetLogProbs(logits: Tensor, targets: Tensor): Tensor {
  return tf.tidy(() => tf.sub(targetLogits(logits, targets, logits.shape[1] as number), tf.logSumExp(logits, 1)));
}

/** LayerNorm over the last axis (biased variance, as PyTorch). x [..., C], gamma/beta [C]. */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor {
  if (useFusedKernels()) return fusedLayerNorm(x, gamma, beta, eps);
  return tf.tidy(() => {
    const axis = x.rank - 1;
    const mean = tf.mean(x, axis, true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), axis, true);
    return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
  });
}

/**
 * [LayerNorm(x), x] for a transformer's residual stream x: add the second output (x itself, no copy) back as the
 * skip connection, e.g. as loraLinear's residual. With the fused kernels the stream's two gradients are then summed
 * inside the norm's backward dispatch instead of by an add of their own.
 */
export function layerNormStream(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): [Tensor, Tensor] {
  if (useFusedKernels()) return fusedLayerNormStream(x, gamma, beta, eps);
  return [layerNorm(x, gamma, beta, eps), x];
}

/** [RMSNorm(x), x], as layerNormStream. */
export function rmsNormStream(x: Tensor, gamma: Tensor, eps: number): [Tensor, Tensor] {
  if (useFusedKernels()) return fusedRmsNormStream(x, gamma, eps);
  return [rmsNorm(x, gamma, eps), x];
}

/** RMSNorm over the last axis, as HF LlamaRMSNorm. x [..., C], gamma [C]. */
export function rmsNorm(x: Tensor, gamma: Tensor, eps: number): Tensor {
  if (useFusedKernels()) return fusedRmsNorm(x, gamma, eps);
  return tf.tidy(() => {
    const meanSquare = tf.mean(tf.square(x), x.rank - 1, true);
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(meanSquare, eps))), gamma);
  });
}

/** GELU, tanh approximation (HF "gelu_new"). */
export function gelu(x: Tensor): Tensor {
  if (useFusedKernels()) return fusedGelu(x);
  return tf.tidy(() => {
    const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(tf.square(x), x))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}

/** GELU with the exact erf (HF "gelu", BERT's): 0.5·x·(1 + erf(x/√2)). Composite tf ops on every backend. */
export function geluErf(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

/** Additive key-padding bias of an encoder: mask [B, S] (1 real, 0 padding) → [B, 1, 1, S], 0 on real keys and −1e9 on padding. */
export function keyPaddingBias(keyMask: Tensor): Tensor {
  const [B, S] = keyMask.shape as [number, number];
  return tf.tidy(() => tf.reshape(tf.mul(tf.sub(1, tf.cast(keyMask, 'float32')), -1e9), [B, 1, 1, S]));
}

/**
 * Bidirectional (encoder) scaled dot-product attention: every query sees every real key. q, k, v [B, H, T, D],
 * bias [B, 1, 1, T] from keyPaddingBias (composite ops) and the same mask as data, keyMask [B, T] (fused kernel)
 * → [B, H, T, D].
 */
export function encoderAttention(q: Tensor, k: Tensor, v: Tensor, bias: Tensor, keyMask: Tensor): Tensor {
  if (useFusedKernels() && (q.shape[3] as number) % 4 === 0) return tf.tidy(() => fusedEncoderAttention(q, k, v, tf.cast(keyMask, 'float32')));
  return tf.tidy(() => {
    const D = q.shape[3] as number;
    const scores = tf.add(tf.mul(tf.matMul(q as tf.Tensor4D, k as tf.Tensor4D, false, true), 1 / Math.sqrt(D)), bias); // [B, H, T, T]
    return tf.matMul(tf.softmax(scores) as tf.Tensor4D, v as tf.Tensor4D); // [B, H, T, D]
  });
}

/** SiLU (swish): x·sigmoid(x). */
export function silu(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

/** SwiGLU gate of the Llama MLP: silu(gate)·up, elementwise. */
export function swiglu(gate: Tensor, up: Tensor): Tensor {
  if (useFusedKernels()) return fusedSwiglu(gate, up);
  return tf.tidy(() => tf.mul(silu(gate), up));
}

/** Rows of table [V, C] for ids int32 [N] → [N, C], with a scatter-add gradient that works on every backend. */
export function embeddingLookup(table: Tensor, ids: Tensor): Tensor {
  return embeddingGather(table, ids);
}

/**
 * The k largest of each row of scores [R, n] and their columns (values float32, indices int32, best first): on WebGPU
 * the partial top-k kernel (k ≤ PARTIAL_TOPK_MAX_K; ties by the lower column), else tfjs's topk (a full sort per row).
 */
export function rowTopk(scores: Tensor, k: number): { values: Tensor; indices: Tensor } {
  return partialTopkAvailable(k, scores.shape[1] as number) ? partialTopk(scores, k) : tf.topk(scores, k);
}

/** Whether rowTopk runs the partial top-k kernel for k of n columns (WebGPU, k ≤ PARTIAL_TOPK_MAX_K). */
export function partialTopkAvailable(k: number, n: number): boolean {
  return useFusedKernels() && k <= PARTIAL_TOPK_MAX_K && k <= n;
}
