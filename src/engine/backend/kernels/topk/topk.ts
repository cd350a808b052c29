// Partial top-k of each row in WGSL: every invocation keeps the k best of one segment of a row (insertion into a short
// sorted list, no sort of the row), then the same kernel merges the segments' candidates until one segment is left.
// tfjs's TopK sorts each whole row instead. Ties keep the lower column first, as a stable sort by value would.
import { tf, type Tensor } from '../../tf';
import { registerWebGPUKernel, runKernel, runProgram } from '../program';

const SEGMENT_TOPK = 'TuneLabSegmentTopK';
const WORKGROUP = 64;

/** Largest k the kernel keeps in registers; a larger k falls back to tfjs's topk. */
export const PARTIAL_TOPK_MAX_K = 64;
/** Columns (or candidates) one invocation scans by default. */
export const PARTIAL_TOPK_SEGMENT = 256;

/**
 * One pass. Input 'dense' [R, n]: candidate c of a row is column c. Input 'packed' [R, G, 2k]: a previous pass's
 * output, candidate c = slot c % k of group ⌊c / k⌋, its value at [.., t] and its column (as f32, exact below 2^24) at
 * [.., k + t]. Output packed [R, S, 2k], S = ⌈candidates / segment⌉: per segment its k best, best first, then their
 * columns; slots a short segment cannot fill hold the lowest f32 and column −1 (skipped by the next pass).
 */
function code(k: number, packed: boolean): string {
  const read = packed
    ? /* wgsl */ `
  let g = c / ${k};
  let t = c - g * ${k};
  let at = row * uniforms.width * 2 + g * ${2 * k} + t;
  let v = x[at];
  let col = x[at + ${k}];
  if (col < 0.0) { continue; } // a slot a short segment left empty`
    : /* wgsl */ `
  let v = x[row * uniforms.width + c];
  let col = f32(c);`;
  return /* wgsl */ `
fn main(index: i32) {
  if (index >= uniforms.rows * uniforms.segments) { return; }
  let row = index / uniforms.segments;
  let s = index - row * uniforms.segments;
  var vals: array<f32, ${k}>;
  var cols: array<f32, ${k}>;
  // Empty slots: the lowest f32 and column −1 (the merge skips them by the column; −∞ is no WGSL constant).
  for (var i = 0; i < ${k}; i++) { vals[i] = -3.4e38; cols[i] = -1.0; }
  var filled = 0;
  let start = s * uniforms.segment;
  let end = min(start + uniforms.segment, uniforms.width);
  for (var c = start; c < end; c++) {${read.replace(/\n/g, '\n  ')}
    // A free slot, or strictly better than the k-th kept: insert after every kept value >= v (ties: earlier first).
    // Only kept slots are compared (p < filled), never the empty ones.
    if (filled < ${k} || v > vals[${k - 1}]) {
      var p = min(filled, ${k - 1});
      loop {
        if (p == 0 || vals[p - 1] >= v) { break; }
        vals[p] = vals[p - 1];
        cols[p] = cols[p - 1];
        p--;
      }
      vals[p] = v;
      cols[p] = col;
      filled = min(filled + 1, ${k});
    }
  }
  let out = index * ${2 * k};
  for (var i = 0; i < ${k}; i++) { result[out + i] = vals[i]; result[out + ${k} + i] = cols[i]; }
}`;
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  registerWebGPUKernel(SEGMENT_TOPK, (inputs, attrs, backend) => {
    const { k, segment, packed } = attrs as { k: number; segment: number; packed: boolean };
    const shape = inputs.x.shape;
    const rows = shape[0];
    // Dense: width = columns; packed: width = groups × k candidates (the row stride is 2 × width floats).
    const width = packed ? shape[1] * k : shape[1];
    const segments = Math.ceil(width / segment);
    return runProgram(
      backend,
      {
        name: 'segment_topk',
        key: `${k}_${packed ? 'packed' : 'dense'}`,
        outputShape: [rows, segments, 2 * k],
        inputs: ['x'],
        uniforms: [
          { name: 'rows', type: 'i32', value: rows },
          { name: 'width', type: 'i32', value: width },
          { name: 'segment', type: 'i32', value: segment },
          { name: 'segments', type: 'i32', value: segments },
        ],
        threads: rows * segments,
        workgroupSize: WORKGROUP,
        code: code(k, packed),
      },
      [inputs.x],
    );
  });
}

/**
 * The k largest of each row of scores [R, n] (k ≤ n, k ≤ PARTIAL_TOPK_MAX_K) and their columns, best first, ties by the
 * lower column: values [R, k] float32, indices [R, k] int32. WebGPU only (the caller falls back to tf.topk elsewhere).
 * `segment` (≥ 2) sets how many candidates one invocation scans; passes repeat until one segment holds them all.
 */
export function partialTopk(scores: Tensor, k: number, segment = PARTIAL_TOPK_SEGMENT): { values: Tensor; indices: Tensor } {
  const [R, n] = scores.shape as [number, number];
  if (!Number.isInteger(k) || k < 1 || k > n || k > PARTIAL_TOPK_MAX_K) throw new RangeError(`partialTopk: k must be a whole number from 1 to min(${n}, ${PARTIAL_TOPK_MAX_K}); got ${k}.`);
  if (!Number.isInteger(segment) || segment < 2) throw new RangeError(`partialTopk: segment must be a whole number of 2 or more; got ${segment}.`);
  register();
  return tf.tidy(() => {
    let packed = runKernel(SEGMENT_TOPK, { x: scores }, { k, segment, packed: false }); // [R, S, 2k]
    // A merge pass scans at least 2k candidates per invocation, so each pass at least halves the segments.
    const merge = Math.max(segment, 2 * k);
    while ((packed.shape[1] as number) > 1) packed = runKernel(SEGMENT_TOPK, { x: packed }, { k, segment: merge, packed: true }); // [R, ⌈S·k / merge⌉, 2k]
    const flat = tf.reshape(packed, [R, 2 * k]);
    return { values: tf.slice(flat, [0, 0], [R, k]), indices: tf.cast(tf.slice(flat, [0, k], [R, k]), 'int32') };
  });
}
