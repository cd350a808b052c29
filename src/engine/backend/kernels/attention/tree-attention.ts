// One-token attention over a shared prefix plus each row's own short tail in one WGSL dispatch (exposure's prefix tree).
//
// Replaces, per layer of a tree level, some 30 stock ops (transposes, batched matmuls, per-position slices, a softmax
// whose reductions take one workgroup per (row, head) over ~20 keys): one invocation per (row, head) walks the prefix
// keys, then its own, with an online softmax.
import { tf, type Tensor } from '../../tf';
import { registerWebGPUKernel, runKernel, runProgram } from '../program';

const TREE = 'TuneLabTreeAttention';
const WORKGROUP = 64;

/** WGSL for head size D (baked: the accumulator is a fixed-size array). */
function treeCode(D: number): string {
  return /* wgsl */ `
const D = ${D};
fn main(index: i32) {
  let H = uniforms.nH;
  let P = uniforms.nP;
  let L = uniforms.nL;
  if (index >= uniforms.nB * H) { return; }
  let h = index % H;
  let b = index / H;
  let qBase = index * D;
  var m = -3.0e38;
  var l = 0.0;
  var acc: array<f32, ${D}>;
  for (var s = uniforms.firstKey; s < P + L; s++) {
    var dot = 0.0;
    if (s < P) {
      let base = (h * P + s) * D;
      for (var d = 0; d < D; d++) { dot += q[qBase + d] * kp[base + d]; }
    } else {
      let base = ((b * H + h) * L + s - P) * D;
      for (var d = 0; d < D; d++) { dot += q[qBase + d] * kt[base + d]; }
    }
    dot = dot * uniforms.scale;
    let mNew = max(m, dot);
    let corr = exp(m - mNew);
    let p = exp(dot - mNew);
    l = l * corr + p;
    if (s < P) {
      let base = (h * P + s) * D;
      for (var d = 0; d < D; d++) { acc[d] = acc[d] * corr + p * vp[base + d]; }
    } else {
      let base = ((b * H + h) * L + s - P) * D;
      for (var d = 0; d < D; d++) { acc[d] = acc[d] * corr + p * vt[base + d]; }
    }
    m = mNew;
  }
  for (var d = 0; d < D; d++) { result[qBase + d] = acc[d] / l; }
}`;
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  registerWebGPUKernel(TREE, (inputs, attrs, backend) => {
    const { B, H, P, L, D, firstKey } = attrs as { B: number; H: number; P: number; L: number; D: number; firstKey: number };
    return runProgram(
      backend,
      {
        name: 'tree_attention',
        key: `d${D}`,
        outputShape: [B, H, 1, D],
        inputs: ['q', 'kp', 'vp', 'kt', 'vt'],
        uniforms: [
          { name: 'nB', type: 'i32', value: B },
          { name: 'nH', type: 'i32', value: H },
          { name: 'nP', type: 'i32', value: P },
          { name: 'nL', type: 'i32', value: L },
          { name: 'firstKey', type: 'i32', value: firstKey },
          { name: 'scale', type: 'f32', value: 1 / Math.sqrt(D) },
        ],
        threads: B * H,
        workgroupSize: WORKGROUP,
        code: treeCode(D),
      },
      [inputs.q, inputs.kp, inputs.vp, inputs.kt, inputs.vt],
    );
  });
}

/**
 * q [B, H, 1, D] attends the shared prefix kp/vp [H, P, D], then its own tail kt/vt [B, H, L, D] (the query at
 * absolute position P + L − 1), keys before absolute position `firstKey` masked (a sliding window) → [B, H, 1, D].
 * Scores scaled by D^−½. No gradient: scoring only.
 */
export function fusedTreeAttention(q: Tensor, kp: Tensor, vp: Tensor, kt: Tensor, vt: Tensor, firstKey: number): Tensor {
  register();
  const [B, H, , D] = q.shape as number[];
  const P = kp.shape[1] as number;
  const L = kt.shape[2] as number;
  return tf.tidy(() => runKernel(TREE, { q, kp, vp, kt, vt }, { B, H, P, L, D, firstKey }));
}
