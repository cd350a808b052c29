// Runs the fused (LoRA) linear forward and backward on the active backend for odd shapes and compares with the CPU reference.
import { tf, type Tensor } from '../../tf';
import { fusedGeluLinear, fusedLinear } from './lora-linear';
import { loraLinearCaseData, loraLinearReference, type LoraLinearCase } from './lora-linear-reference';
import { read, relativeError, type KernelCaseCheck } from '../check-harness';

/** Odd sizes on purpose: no dimension is a multiple of the tiles (4 × 8 per thread), some not even of 4 (scalar loads). */
export const LORA_LINEAR_CASES: LoraLinearCase[] = [
  { n: 37, nIn: 29, nOut: 45, r: 3, layout: 'in_out', hasBias: true, scale: 2 },
  { n: 70, nIn: 33, nOut: 67, r: 5, layout: 'out_in', hasBias: false, scale: 0.5 },
  { n: 1, nIn: 13, nOut: 7, r: 2, layout: 'in_out', hasBias: true, scale: 1.5 },
  { n: 65, nIn: 64, nOut: 130, r: 8, layout: 'out_in', hasBias: true, scale: 2 },
  // Multiples of 4 but not of the tiles: the vec4 loads with a clamped last quad.
  { n: 36, nIn: 20, nOut: 44, r: 4, layout: 'in_out', hasBias: true, scale: 1 },
  { n: 33, nIn: 17, nOut: 19, r: 0, layout: 'in_out', hasBias: true, scale: 1 },
  { n: 9, nIn: 21, nOut: 11, r: 0, layout: 'out_in', hasBias: false, scale: 1 },
  // The skip connection in the epilogue (GPT-2's c_proj), with and without LoRA, register and vec4 paths.
  { n: 37, nIn: 29, nOut: 45, r: 3, layout: 'in_out', hasBias: true, scale: 2, hasResidual: true },
  { n: 36, nIn: 20, nOut: 44, r: 4, layout: 'out_in', hasBias: false, scale: 1, hasResidual: true },
  { n: 9, nIn: 21, nOut: 11, r: 0, layout: 'in_out', hasBias: true, scale: 1, hasResidual: true },
  // At least 64×64 outputs (the register tiling's 16×8 tile), rows a multiple of 4 but not of 16: dW's vec4 loads of
  // xᵀ clamp their last quad.
  { n: 68, nIn: 68, nOut: 132, r: 4, layout: 'in_out', hasBias: true, scale: 1, hasResidual: true },
  // Rank 8 (the register tiling's 8×8 rank tiles on [n, 8] and [8, in] outputs in small workgroups), several
  // workgroups of them, vec4 loads everywhere, dB's rows (nOut) a multiple of 4 but not of 8.
  { n: 132, nIn: 36, nOut: 20, r: 8, layout: 'in_out', hasBias: true, scale: 2 },
  // GELU(x) as the input (GPT-2's mlp c_proj): GELU's backward in dx's epilogue; LoRA and plain, the 16×8 tile, odd shapes.
  { n: 68, nIn: 132, nOut: 68, r: 8, layout: 'in_out', hasBias: true, scale: 2, hasResidual: true, geluInput: true },
  { n: 37, nIn: 29, nOut: 45, r: 3, layout: 'out_in', hasBias: false, scale: 0.5, geluInput: true },
  { n: 9, nIn: 21, nOut: 11, r: 0, layout: 'in_out', hasBias: true, scale: 1, hasResidual: true, geluInput: true },
];

/** One case: y and the gradients of Σ dy ⊙ y for x, W, bias and (with LoRA) A and B. */
export async function checkLoraLinearCase(c: LoraLinearCase, seed = 1): Promise<KernelCaseCheck> {
  const { n, nIn, nOut, r, layout } = c;
  const data = loraLinearCaseData(c, seed);
  const want = loraLinearReference(c, data);
  const wShape = layout === 'in_out' ? [nIn, nOut] : [nOut, nIn];
  const x = tf.tensor2d(data.x, [n, nIn]);
  const W = tf.tensor2d(data.W, wShape as [number, number]);
  const bias = tf.tensor1d(data.bias);
  const A = tf.tensor2d(data.A.subarray(0, r * nIn), [r, nIn]);
  const B = tf.tensor2d(data.B.subarray(0, nOut * r), [nOut, r]);
  const dy = tf.tensor2d(data.dy, [n, nOut]);
  const residual = tf.tensor2d(data.residual, [n, nOut]);
  const forward = (xs: Tensor, Ws: Tensor, bs: Tensor, As: Tensor, Bs: Tensor, Rs: Tensor) =>
    (c.geluInput ? fusedGeluLinear : fusedLinear)(xs, Ws, c.hasBias ? bs : null, layout, r > 0 ? { A: As, B: Bs, scale: c.scale } : null, c.hasResidual ? Rs : null);
  try {
    const y = forward(x, W, bias, A, B, residual);
    // tf.grads needs every input on the path: bias, A/B and the residual only when the case uses them.
    const names = ['x', 'W', ...(c.hasBias ? ['bias'] : []), ...(r > 0 ? ['A', 'B'] : []), ...(c.hasResidual ? ['residual'] : [])];
    const all: Record<string, Tensor> = { x, W, bias, A, B, residual };
    const grads = tf.grads((...args: Tensor[]) => {
      const t: Record<string, Tensor> = { ...all };
      names.forEach((name, i) => (t[name] = args[i]));
      return tf.sum(tf.mul(forward(t.x, t.W, t.bias, t.A, t.B, t.residual), dy));
    })(names.map((name) => all[name]));
    const got: Record<string, Float32Array> = {};
    for (const [i, name] of names.entries()) got[name] = await read(grads[i]);
    const errors: Record<string, number> = {
      y: relativeError(await read(y), want.y),
      dx: relativeError(got.x, want.dx),
      dW: relativeError(got.W, want.dW),
    };
    if (c.hasBias) errors.dBias = relativeError(got.bias, want.dBias);
    if (r > 0) {
      errors.dA = relativeError(got.A, want.dA);
      errors.dB = relativeError(got.B, want.dB);
    }
    if (c.hasResidual) errors.dResidual = relativeError(got.residual, data.dy); // d(Σ dy ⊙ (… + R))/dR = dy
    tf.dispose([y, ...grads]);
    return { kernel: r > 0 ? 'lora-linear' : 'linear', shape: `n${n} in${nIn} out${nOut} r${r} ${layout}${c.hasBias ? ' bias' : ''}${c.hasResidual ? ' residual' : ''}${c.geluInput ? ' gelu(x)' : ''}`, errors };
  } finally {
    tf.dispose([x, W, bias, A, B, dy, residual]);
  }
}

export async function checkLoraLinear(cases: LoraLinearCase[] = LORA_LINEAR_CASES): Promise<KernelCaseCheck[]> {
  const out: KernelCaseCheck[] = [];
  for (const [i, c] of cases.entries()) out.push(await checkLoraLinearCase(c, 10 * i + 1));
  return out;
}
