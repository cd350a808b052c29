// Attention of many rows over one shared prefix plus each row's own short cache, without copying the prefix per row.
import { tf, type Tensor } from '../backend/tf';

/**
 * Causal attention where every row sees the same prefix keys/values first, then its own cached positions (the
 * exposure prefix tree: one canary prefix, then each node's few slot tokens). The prefix is never broadcast to the
 * rows: its scores are one [H, B·T, P] matmul against the shared keys, so a tree level costs what its own tokens cost.
 * q [B, H, T, D]; prefix kp/vp [H, P, D]; tail kt/vt [B, H, L, D] whose last T positions are this call's → [B, H, T, D].
 */
export function sharedPrefixAttention(q: Tensor, kp: Tensor, vp: Tensor, kt: Tensor, vt: Tensor): Tensor {
  return tf.tidy(() => {
    const [B, H, T, D] = q.shape as number[];
    const P = kp.shape[1] as number;
    const L = kt.shape[2] as number;
    const scale = 1 / Math.sqrt(D);
    const qh = tf.reshape(tf.transpose(q, [1, 0, 2, 3]), [H, B * T, D]); // [H, B·T, D]
    const prefixScores = tf.transpose(tf.reshape(tf.matMul(qh as tf.Tensor3D, kp as tf.Tensor3D, false, true), [H, B, T, P]), [1, 0, 2, 3]); // [B, H, T, P]
    const tailScores = tf.matMul(q as tf.Tensor4D, kt as tf.Tensor4D, false, true); // [B, H, T, L]
    // Query t of this call sits at tail position L − T + t and sees tail positions up to it (the whole prefix always).
    const mask = new Float32Array(T * (P + L));
    for (let t = 0; t < T; t++) for (let s = L - T + t + 1; s < L; s++) mask[t * (P + L) + P + s] = -1e9;
    const scores = tf.add(tf.mul(tf.concat([prefixScores, tailScores], 3), scale), tf.tensor4d(mask, [1, 1, T, P + L])); // [B, H, T, P+L]
    const probs = tf.softmax(scores);
    const prefixProbs = tf.reshape(tf.transpose(tf.slice(probs, [0, 0, 0, 0], [B, H, T, P]), [1, 0, 2, 3]), [H, B * T, P]); // [H, B·T, P]
    const fromPrefix = tf.transpose(tf.reshape(tf.matMul(prefixProbs as tf.Tensor3D, vp as tf.Tensor3D), [H, B, T, D]), [1, 0, 2, 3]); // [B, H, T, D]
    const fromTail = tf.matMul(tf.slice(probs, [0, 0, 0, P], [B, H, T, L]) as tf.Tensor4D, vt as tf.Tensor4D); // [B, H, T, D]
    return tf.add(fromPrefix, fromTail);
  });
}
