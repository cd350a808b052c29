// Checks fused LayerNorm and RMSNorm (y, dx, dgamma, dbeta) against float64 loops, on odd row counts and widths.
import { tf, type Tensor } from '../../tf';
import { fusedLayerNorm, fusedLayerNormStream, fusedRmsNorm, fusedRmsNormStream } from './norm';
import { normRef } from './norm-reference';
import { relativeError, seeded, take, vjp, type KernelCheck } from '../check-harness';

async function checkNorm(shape: number[], rms: boolean): Promise<KernelCheck[]> {
  const C = shape[shape.length - 1];
  const N = shape.reduce((a, b) => a * b, 1) / C;
  const label = `${rms ? 'RMSNorm' : 'LayerNorm'} [${shape.join(', ')}]`;
  const eps = 1e-5;
  const xData = seeded(N * C, N + C, 2);
  for (let i = 0; i < xData.length; i++) xData[i] += 0.7; // a non-zero mean, which LayerNorm must remove
  const gData = seeded(C, 3, 1);
  const bData = seeded(C, 4, 0.5);
  const dyData = seeded(N * C, 5);
  const x = tf.tensor(xData, shape);
  const gamma = tf.tensor1d(gData);
  const beta = tf.tensor1d(bData);
  const dy = tf.tensor(dyData, shape);
  try {
    const ref = normRef(xData, gData, bData, dyData, N, C, eps, rms);
    const checks: KernelCheck[] = [];
    if (rms) {
      const { value, grads } = await vjp((a: Tensor, g: Tensor) => fusedRmsNorm(a, g, eps), [x, gamma], dy);
      checks.push({ what: `${label}: y`, error: relativeError(value, ref.y) }, { what: `${label}: dx`, error: relativeError(grads[0], ref.dx) }, { what: `${label}: dgamma`, error: relativeError(grads[1], ref.dgamma) });
    } else {
      const { value, grads } = await vjp((a: Tensor, g: Tensor, b: Tensor) => fusedLayerNorm(a, g, b, eps), [x, gamma, beta], dy);
      checks.push(
        { what: `${label}: y`, error: relativeError(value, ref.y) },
        { what: `${label}: dx`, error: relativeError(grads[0], ref.dx) },
        { what: `${label}: dgamma`, error: relativeError(grads[1], ref.dgamma) },
        { what: `${label}: dbeta`, error: relativeError(grads[2], ref.dbeta) },
      );
      // x alone (LoRA: frozen gamma/beta) must give the same dx.
      const xOnly = await vjp((a: Tensor) => fusedLayerNorm(a, gamma, beta, eps), [x], dy);
      checks.push({ what: `${label}: dx with frozen gamma/beta`, error: relativeError(xOnly.grads[0], ref.dx) });
    }
    checks.push(...(await checkStream(label, x, gamma, beta, dy, rms, eps, ref)));
    return checks;
  } finally {
    tf.dispose([x, gamma, beta, dy]);
  }
}

/**
 * The stream variant [norm(x), x] under Σ dy·norm(x) + Σ dres·x: y as the plain kernel, the second output exactly x,
 * and dx = the norm's dx + dres from its one fused dispatch.
 */
async function checkStream(label: string, x: Tensor, gamma: Tensor, beta: Tensor, dy: Tensor, rms: boolean, eps: number, ref: { y: ArrayLike<number>; dx: ArrayLike<number> }): Promise<KernelCheck[]> {
  const dresData = seeded(x.size, 6);
  const dres = tf.tensor(dresData, x.shape);
  const stream = (a: Tensor) => (rms ? fusedRmsNormStream(a, gamma, eps) : fusedLayerNormStream(a, gamma, beta, eps));
  const { y, pass, dx } = tf.tidy(() => {
    const [yOut, passOut] = stream(x);
    const [grad] = tf.grads((a: Tensor) => {
      const [ya, pa] = stream(a);
      return tf.add(tf.sum(tf.mul(ya, dy)), tf.sum(tf.mul(pa, dres)));
    })([x]);
    return { y: yOut, pass: passOut, dx: grad };
  });
  const xData = (await x.data()) as Float32Array;
  const wantDx = Float64Array.from(ref.dx, (v, i) => v + dresData[i]);
  const checks = [
    { what: `${label} stream: y`, error: relativeError(await take(y), ref.y) },
    { what: `${label} stream: x handed on`, error: relativeError(await take(pass), xData) },
    { what: `${label} stream: dx + dres`, error: relativeError(await take(dx), wantDx) },
  ];
  dres.dispose();
  return checks;
}

export async function normChecks(): Promise<KernelCheck[]> {
  return [
    ...(await checkNorm([37, 128], false)),
    ...(await checkNorm([3, 5, 61], false)),
    ...(await checkNorm([1, 7], false)),
    ...(await checkNorm([29, 96], true)),
    ...(await checkNorm([2, 3, 33], true)),
    // Rows wider than 256: the looped kernels (narrower rows get kernels unrolled over C, every case above).
    ...(await checkNorm([5, 300], false)),
    ...(await checkNorm([3, 260], true)),
  ];
}
