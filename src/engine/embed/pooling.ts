// Token states → one vector per text: sentence-transformers' mean and CLS pooling, last-token pooling, L2 normalisation.
import { tf, type Tensor } from '../backend/tf';
import type { Pooling } from './embedder';

/**
 * hidden [B, T, H], mask [B, T] (1 real, 0 padding) → [B, H]. 'mean': Σ h·mask / max(Σ mask, 1e-9) (sentence-transformers'
 * pooling_mode_mean_tokens); 'cls': the first token; 'last': the last real token (the highest position with mask 1, so
 * right or left padding), as decoder embedding models pool. Differentiable in hidden.
 */
export function poolTokens(hidden: Tensor, mask: Tensor, pooling: Pooling): Tensor {
  const [B, T, H] = hidden.shape as [number, number, number];
  return tf.tidy(() => {
    const m = tf.cast(mask, 'float32'); // [B, T]
    if (pooling === 'cls') return tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, H]), [B, H]);
    if (pooling === 'mean') {
      const summed = tf.sum(tf.mul(hidden, tf.reshape(m, [B, T, 1])), 1); // [B, H]
      return tf.div(summed, tf.maximum(tf.sum(m, 1, true), 1e-9)); // [B, H] / [B, 1]
    }
    // last: argmax of mask·(t + 1) is the last real position; a one-hot row picks it (a product, so gradients flow).
    const last = tf.argMax(tf.mul(m, tf.add(tf.range(0, T, 1, 'float32'), 1)), 1); // [B]
    const pick = tf.reshape(tf.oneHot(tf.cast(last, 'int32'), T, 1, 0, 'float32'), [B, T, 1]);
    return tf.sum(tf.mul(hidden, pick), 1); // [B, H]
  });
}

/** Rows of x [B, H] divided by max(‖row‖₂, 1e-12), as torch.nn.functional.normalize (sentence-transformers' Normalize). */
export function l2Normalize(x: Tensor): Tensor {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.sqrt(tf.sum(tf.square(x), 1, true)), 1e-12)));
}

/** Pools and optionally normalises: hidden [B, T, H], mask [B, T] → [B, H]. */
export function sentenceEmbedding(hidden: Tensor, mask: Tensor, pooling: Pooling, normalize: boolean): Tensor {
  return tf.tidy(() => {
    const pooled = poolTokens(hidden, mask, pooling);
    return normalize ? l2Normalize(pooled) : pooled;
  });
}
