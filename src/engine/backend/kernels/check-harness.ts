// The shared harness of every kernel's check (<kernel>/<kernel>-check.ts): the two report shapes, seeded inputs, the
// error measure between a kernel's float32 result and its float64 reference, and reading gradients back.
import { tf, type Tensor } from '../tf';

/** One measured output of a model-op kernel (the kernel self-test page: attention, cross-entropy, norms, activations). */
export interface KernelCheck {
  /** e.g. "attention packed B2 T13 H3 D16: dqkv". */
  what: string;
  /** max |got − want| / max |want| (want from the float64 reference). */
  error: number;
}

/** One case of a training kernel, every output and gradient at once (the training-kernels self-test page: linear/LoRA, AdamW, embedding). */
export interface KernelCaseCheck {
  kernel: string;
  shape: string;
  /** Relative error per output (forward) and gradient. */
  errors: Record<string, number>;
}

/** Deterministic values in [−scale, scale). */
export function seeded(count: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(count);
  let s = (seed * 2654435761) >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * 2 * scale;
  }
  return out;
}

/** Deterministic values in [−0.5, 0.5) (an LCG), so GPU and CPU see the same inputs without a seeded RNG dependency. */
export function pseudoRandom(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

/** max |got − want| / max(|want|, 1e-12): one number per tensor; a NaN or a length mismatch is Infinity. */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let worst = 0;
  let scale = 1e-12;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]);
    worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return worst / scale;
}

/** Reads a tensor (kept). */
export async function read(t: Tensor): Promise<Float32Array> {
  return (await t.data()) as Float32Array;
}

/** Reads a tensor and disposes it. */
export async function take(t: Tensor): Promise<Float32Array> {
  const data = (await t.data()) as Float32Array;
  t.dispose();
  return data;
}

/** Gradients of Σ f(xs)·dy with respect to xs, read back; every tensor made on the way is disposed. */
export async function vjp(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], dy: Tensor): Promise<{ value: Float32Array; grads: Float32Array[] }> {
  const { value, grads } = tf.tidy(() => {
    const g = tf.grads((...args: Tensor[]) => tf.sum(tf.mul(f(...args), dy)));
    const out = f(...xs);
    return { value: out, grads: g(xs) };
  });
  return { value: await take(value), grads: await Promise.all(grads.map(take)) };
}
