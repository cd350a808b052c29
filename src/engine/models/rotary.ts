// Rotary position embeddings with HF's rotate_half convention: x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁].
import { tf, type Tensor } from '../backend/tf';

/** cos and sin tables [T, D] for absolute positions start … start+T−1 (computed in float64, stored float32). */
export function rotaryTables(start: number, length: number, headDim: number, theta: number): { cos: Tensor; sin: Tensor } {
  const half = headDim / 2;
  const cos = new Float32Array(length * headDim);
  const sin = new Float32Array(length * headDim);
  for (let t = 0; t < length; t++) {
    for (let i = 0; i < half; i++) {
      const invFreq = 1 / Math.pow(theta, (2 * i) / headDim);
      const angle = (start + t) * invFreq;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[t * headDim + i] = cos[t * headDim + half + i] = c;
      sin[t * headDim + i] = sin[t * headDim + half + i] = s;
    }
  }
  return { cos: tf.tensor2d(cos, [length, headDim]), sin: tf.tensor2d(sin, [length, headDim]) };
}

/** x [B, H, T, D] with tables [T, D] → rotated x [B, H, T, D]. */
export function applyRotary(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  return tf.tidy(() => {
    const half = (x.shape[3] as number) / 2;
    const [x1, x2] = tf.split(x, [half, half], 3);
    const rotated = tf.concat([tf.neg(x2), x1], 3);
    return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
  });
}
