// A frozen 2-D weight kept on the GPU as f16 (two halves per int32 word) for the fused linear kernels, which read it half the bytes.
import { tf, type Tensor } from '../../tf';
import { packF16Pairs } from './f16';

export interface HalfWeight {
  readonly kind: 'f16-pairs';
  /** int32 [ceil(rows·cols / 2) rounded up to even]: row-major f16 pairs, see packF16Pairs. */
  readonly packed: Tensor;
  /** The logical [rows, cols] of the weight (its layout is the caller's, as for an f32 W). */
  readonly shape: [number, number];
}

export function isHalfWeight(w: unknown): w is HalfWeight {
  return typeof w === 'object' && w !== null && (w as HalfWeight).kind === 'f16-pairs';
}

/** Frees a weight that may be packed f16 or a plain tensor. */
export function disposeWeight(w: Tensor | HalfWeight): void {
  (isHalfWeight(w) ? w.packed : w).dispose();
}

/** Rounds a row-major [rows, cols] weight to f16 (nearest, ties to even) and uploads it packed; the caller disposes `packed`. */
export function halfWeightFrom(data: Float32Array, shape: [number, number]): HalfWeight {
  if (data.length !== shape[0] * shape[1]) throw new Error(`internal: ${data.length} values for a [${shape}] weight`);
  const words = packF16Pairs(data);
  return { kind: 'f16-pairs', packed: tf.tensor1d(words, 'int32'), shape: [shape[0], shape[1]] };
}
