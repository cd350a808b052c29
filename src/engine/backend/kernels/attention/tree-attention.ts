// One-token attention over a shared prefix plus each row's own short tail in one WGSL dispatch (exposure's prefix tree).
//
// Replaces, per layer of a tree level, some 30 stock ops (transposes, batched matmuls, per-position slices, a softmax
// whose reductions take one workgroup per (row, head) over ~20 keys): one invocation per (row, head) walks the prefix
// keys, then its own, with an online softmax.
import { tf, type Tensor } from '../../tf';
import { registerWebGPUKernel, runKernel, runProgram } from '../program';

const TREE = 'TuneLabTreeAttention';
const WORKGROUP = 64;

/**
 * One key/value position of the online softmax both kernels run (WGSL; the caller declares the query `qv`, the running
 * max `m`, the normaliser `l` and the accumulator `acc`): the key at kArr[kb + d], the value at vArr[vb + d].
 */
function onlineSoftmaxVisit(kArr: string, kb: string, vArr: string, vb: string): string {
  return `{
    let kb = ${kb};
    let vb = ${vb};
    var dot = 0.0;
    for (var d = 0; d < D; d++) { dot += qv[d] * ${kArr}[kb + d]; }
    dot = dot * uniforms.scale;
    let mNew = max(m, dot);
    let corr = exp(m - mNew);
    let p = exp(dot - mNew);
    l = l * corr + p;
    for (var d = 0; d < D; d++) { acc[d] = acc[d] * corr + p * ${vArr}[vb + d]; }
    m = mNew;
  }`;
}

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
  var qv: array<f32, ${D}>;
  for (var d = 0; d < D; d++) { qv[d] = q[qBase + d]; }
  var m = -3.0e38;
  var l = 0.0;
  var acc: array<f32, ${D}>;
  for (var s = uniforms.firstKey; s < P; s++) ${onlineSoftmaxVisit('kp', '(h * P + s) * D', 'vp', '(h * P + s) * D')}
  for (var s = max(uniforms.firstKey, P); s < P + L; s++) ${onlineSoftmaxVisit('kt', '((b * H + h) * L + s - P) * D', 'vt', '((b * H + h) * L + s - P) * D')}
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

const LEVELS = 'TuneLabTreeAttentionLevels';

/** WGSL for head size D, C = H·D and A ancestor levels (baked: the inputs a0, i0, … are named per level). */
function levelsCode(D: number, C: number, A: number): string {
  const ancestors = Array.from({ length: A }, (_, j) => `  {
    let row = i${j}[b];
    ${onlineSoftmaxVisit(`a${j}`, `row * 3 * C + C + h * D`, `a${j}`, `row * 3 * C + 2 * C + h * D`)}
  }`).join('\n');
  return /* wgsl */ `
const D = ${D};
const C = ${C};
fn main(index: i32) {
  let H = uniforms.nH;
  let P = uniforms.nP;
  if (index >= uniforms.nB * H) { return; }
  let h = index % H;
  let b = index / H;
  var qv: array<f32, ${D}>;
  for (var d = 0; d < D; d++) { qv[d] = qkv[b * 3 * C + h * D + d]; }
  var m = -3.0e38;
  var l = 0.0;
  var acc: array<f32, ${D}>;
  for (var s = 0; s < P; s++) ${onlineSoftmaxVisit('kp', '(h * P + s) * D', 'vp', '(h * P + s) * D')}
${ancestors}
  ${onlineSoftmaxVisit('qkv', 'b * 3 * C + C + h * D', 'qkv', 'b * 3 * C + 2 * C + h * D')}
  for (var d = 0; d < D; d++) { result[b * C + h * D + d] = acc[d] / l; }
}`;
}

let levelsRegistered = false;

function registerLevels(): void {
  if (levelsRegistered) return;
  levelsRegistered = true;
  registerWebGPUKernel(LEVELS, (inputs, attrs, backend) => {
    const { B, H, P, D, A } = attrs as { B: number; H: number; P: number; D: number; A: number };
    const names = ['qkv', 'kp', 'vp', ...Array.from({ length: A }, (_, j) => [`a${j}`, `i${j}`]).flat()];
    return runProgram(
      backend,
      {
        name: 'tree_attention_levels',
        key: `d${D}_c${H * D}_a${A}`,
        outputShape: [B, H * D],
        inputs: names,
        uniforms: [
          { name: 'nB', type: 'i32', value: B },
          { name: 'nH', type: 'i32', value: H },
          { name: 'nP', type: 'i32', value: P },
          { name: 'scale', type: 'f32', value: 1 / Math.sqrt(D) },
        ],
        threads: B * H,
        workgroupSize: WORKGROUP,
        code: levelsCode(D, H * D, A),
      },
      names.map((n) => inputs[n]),
    );
  });
}

/**
 * GPT-2's one-token tree level without copying any row's cache: qkv [B, 3C] is this level's c_attn output (each row's
 * query and its own key/value); the row attends the shared prefix kp/vp [H, P, D], then one key/value per ancestor
 * level j, read from that level's qkv [N_j, 3C] at row rows_j[b] (int32 [B]), then its own → [B, C] (heads merged).
 * Scores scaled by D^−½; no mask is needed (every ancestor precedes the query). No gradient: scoring only.
 */
export function fusedTreeAttentionLevels(qkv: Tensor, kp: Tensor, vp: Tensor, ancestors: readonly { qkv: Tensor; rows: Tensor }[]): Tensor {
  registerLevels();
  const [H, P, D] = kp.shape as number[];
  const B = qkv.shape[0] as number;
  const named: Record<string, Tensor> = { qkv, kp, vp };
  ancestors.forEach((a, j) => {
    named[`a${j}`] = a.qkv;
    named[`i${j}`] = a.rows;
  });
  return tf.tidy(() => runKernel(LEVELS, named, { B, H, P, D, A: ancestors.length }));
}
