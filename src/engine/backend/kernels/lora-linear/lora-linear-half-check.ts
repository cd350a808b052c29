// Runs the fused (LoRA) linear with an f16 base weight on WebGPU and holds it to two float64 references: f16-rounded W (tight) and f32 W (f16's bound).
import { tf, type Tensor } from '../../tf';
import { F16_UNIT_ROUNDOFF, roundToF16 } from './f16';
import { halfWeightFrom } from './half-weight';
import { fusedGeluLinear, fusedLinear } from './lora-linear';
import { loraLinearCaseData, loraLinearReference, type LoraLinearCase } from './lora-linear-reference';
import { read, relativeError, type KernelCaseCheck } from '../check-harness';

export interface HalfKernelCheck extends KernelCaseCheck {
  /**
   * Per output that reads W (y, dx): max over elements of |got − ref(f32 W)| / (2⁻¹¹·Σ|a|·|w| + 1e-4·max|ref|), the
   * rounding bound of an f16 W plus the f32 tolerance of the other checks. ≤ 1 passes.
   */
  boundRatios: Record<string, number>;
  /** Relative difference between the two references for y: how much the f16 rounding moves the result (> 0). */
  roundingEffect: number;
}

function boundRatio(got: Float32Array, want: Float64Array, absProducts: Float64Array): number {
  let scale = 1e-12;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const ratio = Math.abs(got[i] - want[i]) / (F16_UNIT_ROUNDOFF * absProducts[i] + 1e-4 * scale);
    worst = Math.max(worst, Number.isNaN(ratio) ? Infinity : ratio);
  }
  return worst;
}

/** y and the gradients of Σ dy ⊙ y for x, bias, A and B (W is frozen: no dW), W stored as f16. */
export async function checkLoraLinearHalfCase(c: LoraLinearCase, seed = 1): Promise<HalfKernelCheck> {
  const { n, nIn, nOut, r, layout } = c;
  const data = loraLinearCaseData(c, seed);
  const rounded = loraLinearReference(c, { ...data, W: roundToF16(data.W) });
  const exact = loraLinearReference(c, data);
  // Σ|x|·|w| per output and Σ|dy|·|w| per input gradient: the scale of f16's rounding error in y and dx.
  const abs = (a: Float32Array) => a.map(Math.abs);
  const magnitudes = loraLinearReference({ ...c, r: 0, hasBias: false, hasResidual: false }, { ...data, x: abs(data.x), W: abs(data.W), dy: abs(data.dy) });
  const wShape: [number, number] = layout === 'in_out' ? [nIn, nOut] : [nOut, nIn];
  const W = halfWeightFrom(data.W, wShape);
  const x = tf.tensor2d(data.x, [n, nIn]);
  const bias = tf.tensor1d(data.bias);
  const A = tf.tensor2d(data.A.subarray(0, r * nIn), [r, nIn]);
  const B = tf.tensor2d(data.B.subarray(0, nOut * r), [nOut, r]);
  const dy = tf.tensor2d(data.dy, [n, nOut]);
  const residual = tf.tensor2d(data.residual, [n, nOut]);
  const forward = (xs: Tensor, bs: Tensor, As: Tensor, Bs: Tensor, Rs: Tensor) =>
    (c.geluInput ? fusedGeluLinear : fusedLinear)(xs, W, c.hasBias ? bs : null, layout, r > 0 ? { A: As, B: Bs, scale: c.scale } : null, c.hasResidual ? Rs : null);
  try {
    const y = forward(x, bias, A, B, residual);
    const names = ['x', ...(c.hasBias ? ['bias'] : []), ...(r > 0 ? ['A', 'B'] : []), ...(c.hasResidual ? ['residual'] : [])];
    const all: Record<string, Tensor> = { x, bias, A, B, residual };
    const grads = tf.grads((...args: Tensor[]) => {
      const t: Record<string, Tensor> = { ...all };
      names.forEach((name, i) => (t[name] = args[i]));
      return tf.sum(tf.mul(forward(t.x, t.bias, t.A, t.B, t.residual), dy));
    })(names.map((name) => all[name]));
    const got: Record<string, Float32Array> = { y: await read(y) };
    for (const [i, name] of names.entries()) got[name] = await read(grads[i]);
    const errors: Record<string, number> = { y: relativeError(got.y, rounded.y), dx: relativeError(got.x, rounded.dx) };
    if (c.hasBias) errors.dBias = relativeError(got.bias, rounded.dBias);
    if (r > 0) {
      errors.dA = relativeError(got.A, rounded.dA);
      errors.dB = relativeError(got.B, rounded.dB);
    }
    if (c.hasResidual) errors.dResidual = relativeError(got.residual, data.dy); // d(Σ dy ⊙ (… + R))/dR = dy
    const boundRatios = { y: boundRatio(got.y, exact.y, magnitudes.y), dx: boundRatio(got.x, exact.dx, magnitudes.dx) };
    tf.dispose([y, ...grads]);
    const shape = `n${n} in${nIn} out${nOut} r${r} ${layout}${c.hasBias ? ' bias' : ''}${c.hasResidual ? ' residual' : ''}${c.geluInput ? ' gelu(x)' : ''}`;
    return { kernel: r > 0 ? 'lora-linear-f16' : 'linear-f16', shape, errors, boundRatios, roundingEffect: relativeError(rounded.y, exact.y) };
  } finally {
    tf.dispose([x, W.packed, bias, A, B, dy, residual]);
  }
}

export async function checkLoraLinearHalf(cases: LoraLinearCase[]): Promise<HalfKernelCheck[]> {
  const out: HalfKernelCheck[] = [];
  for (const [i, c] of cases.entries()) out.push(await checkLoraLinearHalfCase(c, 10 * i + 3));
  return out;
}
