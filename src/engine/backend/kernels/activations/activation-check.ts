// Checks fused GELU and SwiGLU (forward, backward) against float64 loops, including large |x| where tanh/σ saturate.
import { tf, type Tensor } from '../../tf';
import { geluRef, swigluRef } from './activation-reference';
import { fusedGelu } from './gelu';
import { fusedSwiglu } from './swiglu';
import { relativeError, seeded, vjp, type KernelCheck } from '../check-harness';

async function checkGelu(shape: number[]): Promise<KernelCheck[]> {
  const count = shape.reduce((a, b) => a * b, 1);
  const xData = seeded(count, count, 6);
  xData[0] = 60; // exp overflow territory for a naive tanh
  if (count > 1) xData[1] = -60;
  const dyData = seeded(count, 8);
  const x = tf.tensor(xData, shape);
  const dy = tf.tensor(dyData, shape);
  try {
    const ref = geluRef(xData, dyData);
    const { value, grads } = await vjp((a: Tensor) => fusedGelu(a), [x], dy);
    return [
      { what: `GELU [${shape.join(', ')}]: y`, error: relativeError(value, ref.y) },
      { what: `GELU [${shape.join(', ')}]: dx`, error: relativeError(grads[0], ref.dx) },
    ];
  } finally {
    tf.dispose([x, dy]);
  }
}

async function checkSwiglu(shape: number[]): Promise<KernelCheck[]> {
  const count = shape.reduce((a, b) => a * b, 1);
  const gData = seeded(count, count + 1, 6);
  gData[0] = -100;
  const uData = seeded(count, count + 2, 2);
  const dyData = seeded(count, 9);
  const gate = tf.tensor(gData, shape);
  const up = tf.tensor(uData, shape);
  const dy = tf.tensor(dyData, shape);
  try {
    const ref = swigluRef(gData, uData, dyData);
    const { value, grads } = await vjp((g: Tensor, u: Tensor) => fusedSwiglu(g, u), [gate, up], dy);
    return [
      { what: `SwiGLU [${shape.join(', ')}]: y`, error: relativeError(value, ref.y) },
      { what: `SwiGLU [${shape.join(', ')}]: dgate`, error: relativeError(grads[0], ref.dgate) },
      { what: `SwiGLU [${shape.join(', ')}]: dup`, error: relativeError(grads[1], ref.dup) },
    ];
  } finally {
    tf.dispose([gate, up, dy]);
  }
}

export async function activationChecks(): Promise<KernelCheck[]> {
  return [...(await checkGelu([37, 129])), ...(await checkGelu([3])), ...(await checkSwiglu([13, 67])), ...(await checkSwiglu([2, 3, 5]))];
}
