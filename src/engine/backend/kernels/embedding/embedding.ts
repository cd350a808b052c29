// Embedding lookup whose gradient is a scatter-add (ScatterNd) that every backend has, so wasm needs no [N, V] one-hot.
import { tf, type Tensor } from '../../tf';

/**
 * Rows of table [V, C] for ids int32 [N] → [N, C]. Its gradient sums dy rows into the rows they came from:
 * scatterND accumulates duplicate ids, and unlike UnsortedSegmentSum it is implemented on cpu, wasm and webgpu.
 */
export function embeddingGather(table: Tensor, ids: Tensor): Tensor {
  const [V, C] = table.shape;
  const lookup = tf.customGrad(((t: Tensor, save: tf.GradSaveFunc) => {
    const ids32 = (ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32')) as tf.Tensor1D;
    save([ids32]);
    const value = tf.gather(t, ids32);
    const gradFunc = (dy: Tensor, saved: Tensor[]) =>
      tf.tidy(() => tf.scatterND(tf.reshape(saved[0], [-1, 1]), tf.reshape(dy, [-1, C]), [V, C])); // [V, C]
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return lookup(table);
}
