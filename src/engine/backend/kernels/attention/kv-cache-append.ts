// KV-cache append for packed projections in one WGSL dispatch: cache rows [B, S, 2·C] (k heads, then v heads) grow by T.
//
// Replaces, per layer and decoded token, three slices, two head transposes and two concats of the composite path:
// the new rows are read straight out of GPT-2's c_attn output qkv [B·T, 3·C] (columns C … 3C).
import { tf, type Tensor } from '../../tf';
import { registerWebGPUKernel, runKernel, runProgram } from '../program';

const APPEND = 'TuneLabKvAppendRows';
const WORKGROUP = 256;

const appendCode = /* wgsl */ `
fn main(index: i32) {
  let W = 2 * uniforms.nC;
  let S = uniforms.past + uniforms.nT;
  if (index >= uniforms.nB * S * W) { return; }
  let c = index % W;
  let s = (index / W) % S;
  let b = index / (W * S);
  if (s < uniforms.past) {
    result[index] = old[(b * uniforms.past + s) * W + c];
  } else {
    result[index] = qkv[(b * uniforms.nT + s - uniforms.past) * 3 * uniforms.nC + uniforms.nC + c];
  }
}`;

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  registerWebGPUKernel(APPEND, (inputs, attrs, backend) => {
    const { B, T, C, past } = attrs as { B: number; T: number; C: number; past: number };
    const count = B * (past + T) * 2 * C;
    return runProgram(
      backend,
      {
        name: 'kv_append_rows',
        key: '',
        outputShape: [B, past + T, 2 * C],
        inputs: ['old', 'qkv'],
        uniforms: [
          { name: 'nB', type: 'i32', value: B },
          { name: 'nT', type: 'i32', value: T },
          { name: 'nC', type: 'i32', value: C },
          { name: 'past', type: 'i32', value: past },
        ],
        threads: count,
        workgroupSize: WORKGROUP,
        code: appendCode,
      },
      [inputs.old, inputs.qkv],
    );
  });
}

/**
 * old [B, past, 2C] (null when empty) + the k/v columns of qkv [B·T, 3C] → [B, past + T, 2C]. No gradient: decoding only.
 */
export function fusedAppendKvRows(old: Tensor | null, qkv: Tensor, B: number, T: number, C: number): Tensor {
  register();
  const past = old ? (old.shape[1] as number) : 0;
  // With an empty cache, qkv stands in for the unread `old` binding (tfjs binds every input).
  return tf.tidy(() => runKernel(APPEND, { old: old ?? qkv, qkv }, { B, T, C, past }));
}
