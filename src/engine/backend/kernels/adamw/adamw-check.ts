// Runs the WebGPU AdamW step on odd-sized parameters and compares with the float64 reference (clipping, decay, guard).
import { tf } from '../../tf';
import { fusedAdamWStep, type AdamWStepHyper } from './adamw-update';
import { adamwReference } from './adamw-reference';
import { pseudoRandom, relativeError, type KernelCaseCheck } from '../check-harness';

/** More tensors than one pass binds at the WebGPU default of 16 storage buffers (12 per pass), so groups are checked. */
const SHAPES = [[3, 5], [67], [2, 33], [1], [7, 3], [129], [4, 4], [5], [31, 2], [64], [3, 3, 3], [2], [17], [8, 9], [11]];

interface AdamWCase {
  name: string;
  hp: AdamWStepHyper;
  /** Loss fed to the guard; NaN checks that nothing changes. */
  loss: number;
}

export const ADAMW_CASES: AdamWCase[] = [
  { name: 'step 1, clipped, decay', hp: { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, maxGradNorm: 0.5, t: 1 }, loss: 2 },
  { name: 'step 7, no clip, no decay', hp: { lr: 3e-3, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0, maxGradNorm: 0, t: 7 }, loss: 2 },
  { name: 'non-finite loss keeps everything', hp: { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, maxGradNorm: 1, t: 3 }, loss: NaN },
];

export async function checkAdamWCase(c: AdamWCase, seed: number): Promise<KernelCaseCheck> {
  const sizes = SHAPES.map((s) => s.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  const param = pseudoRandom(total, seed);
  const grad = pseudoRandom(total, seed + 1);
  const m = pseudoRandom(total, seed + 2).map((x) => x * 0.1);
  const v = pseudoRandom(total, seed + 3).map((x) => x * x * 0.01);
  const want = adamwReference(param, grad, m, v, c.loss, c.hp);
  let offset = 0;
  // The first variable's initial tensor stays alive (they share a buffer): the in-place update must not change it.
  let shared: tf.Tensor | null = null;
  const vars = SHAPES.map((shape, i) => {
    const value = tf.tensor(param.slice(offset, offset + sizes[i]), shape);
    const t = tf.variable(value);
    if (i === 0) shared = value;
    else value.dispose();
    offset += sizes[i];
    return t;
  });
  const flatGrad = tf.tensor1d(grad);
  const moments = { m: tf.tensor1d(m), v: tf.tensor1d(v) };
  const summary = tf.tidy(() => tf.stack([tf.scalar(c.loss), tf.sum(tf.square(flatGrad)), tf.scalar(0)]));
  fusedAdamWStep(vars, flatGrad, moments, summary, c.hp); // in place: vars and moments now hold the step's result
  const gotParam = new Float32Array(total);
  offset = 0;
  for (const [i, t] of vars.entries()) {
    gotParam.set((await t.data()) as Float32Array, offset);
    offset += sizes[i];
  }
  const sharedBefore = param.slice(0, sizes[0]);
  const sharedAfter = (await shared!.data()) as Float32Array;
  const errors = {
    sharedInitialTensor: sharedAfter.some((x, i) => x !== sharedBefore[i]) ? 1 : 0,
    param: relativeError(gotParam, want.param),
    m: relativeError((await moments.m.data()) as Float32Array, want.m),
    v: relativeError((await moments.v.data()) as Float32Array, want.v),
  };
  tf.dispose([...vars, shared!, flatGrad, moments.m, moments.v, summary]);
  return { kernel: 'adamw', shape: `${c.name}; params ${SHAPES.map((s) => s.join('×')).join(', ')}`, errors };
}

export async function checkAdamW(): Promise<KernelCaseCheck[]> {
  const out: KernelCaseCheck[] = [];
  for (const [i, c] of ADAMW_CASES.entries()) out.push(await checkAdamWCase(c, 100 + 10 * i));
  return out;
}
