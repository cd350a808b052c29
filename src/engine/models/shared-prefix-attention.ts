// Attention of many rows over one shared prefix plus each row's own short cache, without copying the prefix per row.
import { treeAttentionOneToken } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';

/**
 * Causal attention where every row sees the same prefix keys/values first, then its own cached positions (the
 * exposure prefix tree: one canary prefix, then each node's few slot tokens). The prefix is never broadcast to the
 * rows: its scores are one [H, B·T, P] matmul against the shared keys, so a tree level costs what its own tokens cost.
 * q [B, H, T, D]; prefix kp/vp [Hkv, P, D]; tail kt/vt [B, Hkv, L, D] whose last T positions are this call's → [B, H, T, D].
 * Grouped-query attention (Hkv < H): query head h reads kv head ⌊h / (H/Hkv)⌋, as HF's repeat_kv. `window`: a key
 * `window` or more positions behind the query is masked (Gemma 3's sliding layers); positions are absolute, the
 * prefix's first at 0. Scores are scaled by D^−½ (a model with another scale scales q first, as for causalAttention).
 */
export function sharedPrefixAttention(q: Tensor, kp: Tensor, vp: Tensor, kt: Tensor, vt: Tensor, window = Infinity): Tensor {
  return tf.tidy(() => {
    const H = q.shape[1] as number;
    const group = H / (kt.shape[1] as number);
    if (group > 1) {
      // The tail is a few positions per row and the prefix one copy: repeating kv heads costs what q itself does.
      const rep4 = (t: Tensor) => {
        const [B, Hkv, L, D] = t.shape as number[];
        return tf.reshape(tf.tile(tf.reshape(t, [B, Hkv, 1, L, D]), [1, 1, group, 1, 1]), [B, Hkv * group, L, D]);
      };
      const rep3 = (t: Tensor) => {
        const [Hkv, P, D] = t.shape as number[];
        return tf.reshape(tf.tile(tf.reshape(t, [Hkv, 1, P, D]), [1, group, 1, 1]), [Hkv * group, P, D]);
      };
      kp = rep3(kp);
      vp = rep3(vp);
      kt = rep4(kt);
      vt = rep4(vt);
    }
    return q.shape[2] === 1 ? oneTokenAttention(q, kp, vp, kt, vt, window) : manyTokenAttention(q, kp, vp, kt, vt, window);
  });
}

/** Additive mask [T, P+L]: −1e9 on tail keys after the query, and on keys `window` or more positions behind it. */
function attentionMask(T: number, P: number, L: number, window: number): Float32Array {
  const mask = new Float32Array(T * (P + L));
  for (let t = 0; t < T; t++) {
    const at = P + L - T + t; // absolute position of query t
    for (let s = 0; s < P + L; s++) if (s > at || s <= at - window) mask[t * (P + L) + s] = -1e9;
  }
  return mask;
}

function manyTokenAttention(q: Tensor, kp: Tensor, vp: Tensor, kt: Tensor, vt: Tensor, window: number): Tensor {
  const [B, H, T, D] = q.shape as number[];
  const P = kp.shape[1] as number;
  const L = kt.shape[2] as number;
  const scale = 1 / Math.sqrt(D);
  const qh = tf.reshape(tf.transpose(q, [1, 0, 2, 3]), [H, B * T, D]); // [H, B·T, D]
  const prefixScores = tf.transpose(tf.reshape(tf.matMul(qh as tf.Tensor3D, kp as tf.Tensor3D, false, true), [H, B, T, P]), [1, 0, 2, 3]); // [B, H, T, P]
  const tailScores = tf.matMul(q as tf.Tensor4D, kt as tf.Tensor4D, false, true); // [B, H, T, L]
  const scores = tf.add(tf.mul(tf.concat([prefixScores, tailScores], 3), scale), tf.tensor4d(attentionMask(T, P, L, window), [1, 1, T, P + L])); // [B, H, T, P+L]
  const probs = tf.softmax(scores);
  const prefixProbs = tf.reshape(tf.transpose(tf.slice(probs, [0, 0, 0, 0], [B, H, T, P]), [1, 0, 2, 3]), [H, B * T, P]); // [H, B·T, P]
  const fromPrefix = tf.transpose(tf.reshape(tf.matMul(prefixProbs as tf.Tensor3D, vp as tf.Tensor3D), [H, B, T, D]), [1, 0, 2, 3]); // [B, H, T, D]
  const fromTail = tf.matMul(tf.slice(probs, [0, 0, 0, P], [B, H, T, L]) as tf.Tensor4D, vt as tf.Tensor4D); // [B, H, T, D]
  return tf.add(fromPrefix, fromTail);
}

/**
 * The one-token case (a tree level of single slot tokens): the fused kernel on WebGPU; otherwise stock ops, without
 * batched matmuls of B·H tiny products (tfjs's
 * WebGPU matmul pads each to a 32×32 tile: ~100× the work at a tree level of 10^4 rows). Each tail position's
 * scores are an elementwise product summed per head by one [B, C]·[C, H] matmul; its values come back the same way.
 */
function oneTokenAttention(q: Tensor, kp: Tensor, vp: Tensor, kt: Tensor, vt: Tensor, window: number): Tensor {
  const [B, H, , D] = q.shape as number[];
  const P = kp.shape[1] as number;
  const L = kt.shape[2] as number;
  // WebGPU: one dispatch, one invocation per (row, head) with an online softmax (the query sits at P + L − 1).
  const fused = treeAttentionOneToken(q, kp, vp, kt, vt, Math.max(0, P + L - window));
  if (fused) return fused;
  const C = H * D;
  const scale = 1 / Math.sqrt(D);
  const headOf = new Float32Array(C * H);
  for (let c = 0; c < C; c++) headOf[c * H + Math.floor(c / D)] = 1;
  const perHead = tf.tensor2d(headOf, [C, H]); // [C, H]: sums a row's channels per head
  const qh = tf.reshape(q, [B, H, D]);
  const qRows = tf.reshape(qh, [B, C]); // [B, C]
  const prefixScores = tf.transpose(tf.matMul(tf.transpose(qh, [1, 0, 2]) as tf.Tensor3D, kp as tf.Tensor3D, false, true), [1, 0, 2]); // [B, H, P]
  const rowsOf = (t: Tensor, l: number) => tf.reshape(tf.slice(t, [0, 0, l, 0], [B, H, 1, D]), [B, C]); // [B, C]
  const tailScores = Array.from({ length: L }, (_, l) => tf.reshape(tf.matMul(tf.mul(qRows, rowsOf(kt, l)) as tf.Tensor2D, perHead as tf.Tensor2D), [B, H, 1])); // L × [B, H, 1]
  let scores = tf.mul(tf.concat([prefixScores, ...tailScores], 2), scale); // [B, H, P+L]
  const mask = attentionMask(1, P, L, window);
  if (mask.some((m) => m !== 0)) scores = tf.add(scores, tf.tensor3d(mask, [1, 1, P + L]));
  const probs = tf.softmax(scores); // [B, H, P+L]
  const prefixProbs = tf.transpose(tf.slice(probs, [0, 0, 0], [B, H, P]), [1, 0, 2]); // [H, B, P]
  let out = tf.reshape(tf.transpose(tf.matMul(prefixProbs as tf.Tensor3D, vp as tf.Tensor3D), [1, 0, 2]), [B, C]); // [B, C]
  for (let l = 0; l < L; l++) {
    const p = tf.reshape(tf.slice(probs, [0, 0, P + l], [B, H, 1]), [B, H]); // [B, H]
    out = tf.add(out, tf.mul(tf.matMul(p as tf.Tensor2D, perHead as tf.Tensor2D, false, true), rowsOf(vt, l))); // [B, C]
  }
  return tf.reshape(out, [B, H, 1, D]);
}
