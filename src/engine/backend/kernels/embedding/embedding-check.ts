// Runs the embedding lookup and its gradient on the active backend (repeated ids, odd sizes) against the CPU reference.
import { tf } from '../../tf';
import { embeddingGather } from './embedding';
import { embeddingGradReference } from './embedding-reference';
import { pseudoRandom, relativeError, type KernelCaseCheck } from '../check-harness';

export async function checkEmbedding(): Promise<KernelCaseCheck[]> {
  const V = 13;
  const C = 7;
  const ids = [3, 0, 12, 3, 3, 7, 0, 5, 11, 12, 3];
  const tableData = pseudoRandom(V * C, 7);
  const dyData = pseudoRandom(ids.length * C, 8);
  const table = tf.tensor2d(tableData, [V, C]);
  const idsT = tf.tensor1d(ids, 'int32');
  const dy = tf.tensor2d(dyData, [ids.length, C]);
  const y = embeddingGather(table, idsT);
  const [grad] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(embeddingGather(t, idsT), dy)))([table]);
  const wantRows = new Float64Array(ids.length * C);
  ids.forEach((id, n) => wantRows.set(tableData.subarray(id * C, id * C + C), n * C));
  const errors = {
    y: relativeError((await y.data()) as Float32Array, wantRows),
    dTable: relativeError((await grad.data()) as Float32Array, embeddingGradReference(ids, dyData, V, C)),
  };
  tf.dispose([table, idsT, dy, y, grad]);
  return [{ kernel: 'embedding', shape: `V${V} C${C} N${ids.length}, repeated ids`, errors }];
}
