// The ranking loss and its gradients against float64 PyTorch (scripts/golden/make_mnrl_fixture.py) and central finite differences.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../backend/tf';
import { initBackend } from '../backend/init';
import fixture from './fixtures/mnrl.json';
import { rankingLoss, type Similarity } from './ranking-loss';

interface Case {
  name: string;
  scale: number;
  symmetric: boolean;
  similarity: Similarity;
  anchors: number[][];
  positives: number[][];
  negatives?: number[][];
  loss: number;
  gradAnchors: number[][];
  gradPositives: number[][];
  gradNegatives?: number[][];
}

beforeAll(async () => {
  await initBackend('cpu');
});

function maxRelError(got: ArrayLike<number>, want: number[]): number {
  const scale = Math.max(...want.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 0.1 * scale));
  return worst;
}

describe.each((fixture.cases as Case[]).map((c) => [c.name, c] as const))('%s', (_, c) => {
  const inputs = () => [tf.tensor2d(c.anchors), tf.tensor2d(c.positives), ...(c.negatives ? [tf.tensor2d(c.negatives)] : [])];
  const options = { scale: c.scale, symmetric: c.symmetric, similarity: c.similarity };
  const lossOf = (xs: Tensor[]) => rankingLoss(xs[0], xs[1], xs[2] ?? null, options);

  it('loss and gradient match PyTorch float64', () => {
    const xs = inputs();
    const { value, grads } = tf.valueAndGrads((...t: Tensor[]) => lossOf(t) as tf.Scalar)(xs);
    expect(Math.abs(value.dataSync()[0] - c.loss) / Math.abs(c.loss)).toBeLessThan(1e-5);
    const wants = [c.gradAnchors, c.gradPositives, ...(c.gradNegatives ? [c.gradNegatives] : [])];
    grads.forEach((g, i) => expect(maxRelError(g.dataSync(), wants[i].flat())).toBeLessThan(1e-4));
    tf.dispose([value, ...grads, ...xs]);
  });

  it('gradient matches central finite differences of the loss', () => {
    const xs = inputs();
    const grads = tf.grads((...t: Tensor[]) => lossOf(t) as tf.Scalar)(xs);
    const h = 1e-2;
    // A few entries of every input (float32: a large step, a loose bound).
    for (let k = 0; k < xs.length; k++) {
      const base = xs[k].arraySync() as number[][];
      const g = grads[k].arraySync() as number[][];
      for (const [i, j] of [[0, 0], [1, 3], [3, 5]]) {
        const shifted = (d: number) => {
          const copy = base.map((r) => [...r]);
          copy[i][j] += d;
          const t = xs.map((x, m) => (m === k ? tf.tensor2d(copy) : x));
          const v = lossOf(t).dataSync()[0];
          tf.dispose(t[k]);
          return v;
        };
        const numeric = (shifted(h) - shifted(-h)) / (2 * h);
        expect(Math.abs(numeric - g[i][j])).toBeLessThan(2e-2 * Math.max(1, Math.abs(g[i][j])));
      }
    }
    tf.dispose([...grads, ...xs]);
  });
});
