// log_softmax(logits)[row, ids[k]] for a few ids per row in one dispatch (exposure's prefix tree reads only a slot's options).
//
// One invocation per row: the row's max, then Σ exp, then the K picked logits minus the log-sum-exp. Replaces tfjs's
// log-softmax (max, subtract, exp, sum, log, subtract: a dispatch each over [rows, V]) and the gather after it.
import { tf, type Tensor } from '../../tf';
import { registerWebGPUKernel, runKernel, runProgram } from '../program';
import { ROWS_MIN_V } from './cross-entropy';

const PICK = 'TuneLabPickLogSoftmax';
const WORKGROUP = 64;

const code = /* wgsl */ `
fn main(index: i32) {
  let V = uniforms.nV;
  let K = uniforms.nK;
  if (index >= uniforms.nN) { return; }
  let base = index * V;
  var m = -3.0e38;
  for (var v = 0; v < V; v++) { m = max(m, logits[base + v]); }
  var l = 0.0;
  for (var v = 0; v < V; v++) { l += exp(logits[base + v] - m); }
  let lse = m + log(l);
  for (var k = 0; k < K; k++) { result[index * K + k] = logits[base + ids[k]] - lse; }
}`;

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  registerWebGPUKernel(PICK, (inputs, attrs, backend) => {
    const { N, V, K } = attrs as { N: number; V: number; K: number };
    return runProgram(
      backend,
      {
        name: 'pick_log_softmax',
        key: 'v1',
        outputShape: [N, K],
        inputs: ['logits', 'ids'],
        uniforms: [
          { name: 'nN', type: 'i32', value: N },
          { name: 'nV', type: 'i32', value: V },
          { name: 'nK', type: 'i32', value: K },
        ],
        threads: N,
        workgroupSize: WORKGROUP,
        code,
      },
      [inputs.logits, inputs.ids],
    );
  });
}

/** Whether the one-invocation-per-row kernel takes a vocabulary this size (long rows take the stock ops; see cross-entropy.ts). */
export function pickLogSoftmaxFits(V: number): boolean {
  return V <= ROWS_MIN_V;
}

/** logits [N, V], ids int32 [K] → log_softmax(logits)[:, ids] [N, K]. No gradient: scoring only. */
export function fusedPickLogSoftmax(logits: Tensor, ids: Tensor): Tensor {
  register();
  const [N, V] = logits.shape as number[];
  return tf.tidy(() => runKernel(PICK, { logits, ids }, { N, V, K: ids.shape[0] as number }));
}
