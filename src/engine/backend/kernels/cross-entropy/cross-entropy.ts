// Fused softmax cross-entropy over the vocabulary with per-token weights: per-row losses in one dispatch (summed by one
// reduction), the gradient in one more.
//
// loss = Σₙ wₙ·(logsumexp(logitsₙ) − logitsₙ[targetₙ]) / denominator, exactly what softmaxCrossEntropy computes with
// stock ops; d logits = (softmax − onehot)·wₙ·dy / denominator. Neither pass materialises the softmax or a one-hot.
// Small vocabularies: the loss and the hits in one dispatch each (one workgroup, an invocation per row). Above ROWS_MIN_V
// each row gets a workgroup whose ROW invocations split the vocabulary, and one sum follows: a single invocation looping
// over a 262,144-token row (Gemma 3) returned 0 in Chromium's WebGPU (compatibility adapter) while Dawn in Node was right.
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf, type Tensor } from '../../tf';
import { registerKernelGradient, registerWebGPUKernel, runKernel, runProgram } from '../program';

const LOSS = 'TuneLabSoftmaxCrossEntropy';
const GRAD = 'TuneLabSoftmaxCrossEntropyGrad';
const HITS = 'TuneLabWeightedArgmaxHits';

/** Invocations per row: they split the vocabulary and combine (max, sum) pairs, or (max, first index) for argmax. */
const ROW = 64;
/** Vocabularies larger than this take the row-per-workgroup loss and hits (one more dispatch each, for the sum). */
export const ROWS_MIN_V = 4096;
/** The small-vocabulary loss and hits: one workgroup; 256 invocations split the rows, then a tree sum (8 barriers). */
const REDUCE = 256;

const reduceTail = /* wgsl */ `
  partial[lane] = acc;
  workgroupBarrier();
  for (var stride = ${REDUCE / 2}; stride > 0; stride = stride / 2) {
    if (lane < stride) { partial[lane] += partial[lane + stride]; }
    workgroupBarrier();
  }`;

const lossSerialCode = /* wgsl */ `
var<workgroup> partial: array<f32, ${REDUCE}>;
fn main(index: i32) {
  let lane = i32(localIndex);
  let V = uniforms.nV;
  var acc = 0.0;
  for (var n = lane; n < uniforms.nN; n += ${REDUCE}) {
    var m = -3.0e38;
    var l = 0.0;
    for (var v = 0; v < V; v++) {
      let x = logits[n * V + v];
      let mNew = max(m, x);
      l = l * exp(m - mNew) + exp(x - mNew);
      m = mNew;
    }
    acc += weights[n] * (m + log(l) - logits[n * V + targets[n]]);
  }
  ${reduceTail}
  if (lane == 0) { result[0] = partial[0] / uniforms.denominator; }
}`;

const hitsSerialCode = /* wgsl */ `
var<workgroup> partial: array<f32, ${REDUCE}>;
fn main(index: i32) {
  let lane = i32(localIndex);
  let V = uniforms.nV;
  var acc = 0.0;
  for (var n = lane; n < uniforms.nN; n += ${REDUCE}) {
    var best = logits[n * V];
    var arg = 0;
    for (var v = 1; v < V; v++) {
      let x = logits[n * V + v];
      if (x > best) { best = x; arg = v; }
    }
    if (arg == targets[n] && weights[n] > 0.0) { acc += 1.0; }
  }
  ${reduceTail}
  if (lane == 0) { result[0] = partial[0]; }
}`;

/** Row n's running max M and Σ exp(x − M) over the whole vocabulary, in every lane after the tree combine. */
const rowLogSumExp = /* wgsl */ `
  var m = -3.0e38;
  var l = 0.0;
  for (var v = lane; v < V; v += ${ROW}) {
    let x = logits[base + v];
    let mNew = max(m, x);
    l = l * exp(m - mNew) + exp(x - mNew);
    m = mNew;
  }
  rowMax[lane] = m;
  rowSum[lane] = l;
  workgroupBarrier();
  for (var stride = ${ROW / 2}; stride > 0; stride = stride / 2) {
    if (lane < stride) {
      let m2 = rowMax[lane + stride];
      let mNew = max(rowMax[lane], m2);
      rowSum[lane] = rowSum[lane] * exp(rowMax[lane] - mNew) + rowSum[lane + stride] * exp(m2 - mNew);
      rowMax[lane] = mNew;
    }
    workgroupBarrier();
  }
  let M = rowMax[0];`;

const rowHeader = /* wgsl */ `
var<workgroup> rowMax: array<f32, ${ROW}>;
var<workgroup> rowSum: array<f32, ${ROW}>;
fn main(index: i32) {
  let lane = i32(localIndex);
  let n = index / ${ROW};
  let V = uniforms.nV;
  let base = n * V;`;

/** result [N]: wₙ·(logsumexp − logit[target]) / denominator per row; the caller sums them. */
const lossCode = /* wgsl */ `${rowHeader}
  ${rowLogSumExp}
  if (lane == 0) { result[n] = weights[n] * (M + log(rowSum[0]) - logits[base + targets[n]]) / uniforms.denominator; }
}`;

/** dy: [1] (the small-vocabulary loss's scalar) or [N] (each row's loss, the sum's gradient broadcast): stride 0 or 1. */
const gradCode = /* wgsl */ `${rowHeader}
  ${rowLogSumExp}
  let invL = 1.0 / rowSum[0];
  let coef = weights[n] * dy[n * uniforms.dyStride] / uniforms.denominator;
  let want = targets[n];
  for (var v = lane; v < V; v += ${ROW}) {
    let p = exp(logits[base + v] - M) * invL;
    result[base + v] = (p - select(0.0, 1.0, v == want)) * coef;
  }
}`;

/** result [N]: 1 where the row's first maximum is its target and its weight is > 0. */
const hitsCode = /* wgsl */ `
var<workgroup> bestValue: array<f32, ${ROW}>;
var<workgroup> bestIndex: array<i32, ${ROW}>;
fn main(index: i32) {
  let lane = i32(localIndex);
  let n = index / ${ROW};
  let V = uniforms.nV;
  let base = n * V;
  var best = -3.4e38;
  var arg = V;
  for (var v = lane; v < V; v += ${ROW}) {
    let x = logits[base + v];
    if (x > best || arg == V) { best = x; arg = v; }
  }
  bestValue[lane] = best;
  bestIndex[lane] = arg;
  workgroupBarrier();
  for (var stride = ${ROW / 2}; stride > 0; stride = stride / 2) {
    if (lane < stride) {
      let x = bestValue[lane + stride];
      let i = bestIndex[lane + stride];
      if (x > bestValue[lane] || (x == bestValue[lane] && i < bestIndex[lane])) { bestValue[lane] = x; bestIndex[lane] = i; }
    }
    workgroupBarrier();
  }
  if (lane == 0) { result[n] = select(0.0, 1.0, bestIndex[0] == targets[n] && weights[n] > 0.0); }
}`;

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  const dims = (logits: tf.TensorInfo) => [
    { name: 'nN', type: 'i32' as const, value: logits.shape[0] },
    { name: 'nV', type: 'i32' as const, value: logits.shape[1] },
  ];
  const den = (attrs: Record<string, unknown>) => ({ name: 'denominator', type: 'f32' as const, value: attrs.denominator as number });
  const rows = (logits: tf.TensorInfo) => logits.shape[1] > ROWS_MIN_V;
  registerWebGPUKernel(LOSS, (inputs, attrs, backend: WebGPUBackend) => {
    const [N] = inputs.logits.shape;
    const spec = rows(inputs.logits)
      ? { name: 'softmax_ce_rows', outputShape: [N], threads: N * ROW, workgroupSize: ROW, code: lossCode }
      : { name: 'softmax_ce', outputShape: [1], threads: REDUCE, workgroupSize: REDUCE, code: lossSerialCode };
    return runProgram(backend, { ...spec, key: '', inputs: ['logits', 'targets', 'weights'], uniforms: [...dims(inputs.logits), den(attrs)] }, [inputs.logits, inputs.targets, inputs.weights]);
  });
  registerWebGPUKernel(GRAD, (inputs, attrs, backend: WebGPUBackend) =>
    runProgram(
      backend,
      {
        name: 'softmax_ce_grad',
        key: '',
        outputShape: inputs.logits.shape,
        inputs: ['logits', 'targets', 'weights', 'dy'],
        uniforms: [...dims(inputs.logits), den(attrs), { name: 'dyStride', type: 'i32' as const, value: inputs.dy.shape[0] === 1 ? 0 : 1 }],
        threads: inputs.logits.shape[0] * ROW,
        workgroupSize: ROW,
        code: gradCode,
      },
      [inputs.logits, inputs.targets, inputs.weights, inputs.dy],
    ),
  );
  registerWebGPUKernel(HITS, (inputs, _attrs, backend: WebGPUBackend) => {
    const [N] = inputs.logits.shape;
    const spec = rows(inputs.logits)
      ? { name: 'argmax_hits_rows', outputShape: [N], threads: N * ROW, workgroupSize: ROW, code: hitsCode }
      : { name: 'argmax_hits', outputShape: [1], threads: REDUCE, workgroupSize: REDUCE, code: hitsSerialCode };
    return runProgram(backend, { ...spec, key: '', inputs: ['logits', 'targets', 'weights'], uniforms: dims(inputs.logits) }, [inputs.logits, inputs.targets, inputs.weights]);
  });
  registerKernelGradient({
    kernelName: LOSS,
    inputsToSave: ['logits', 'targets', 'weights'],
    gradFunc: (dy, saved, attrs) => {
      const [logits, targets, weights] = saved;
      return {
        logits: () => runKernel(GRAD, { logits, targets, weights, dy: dy as Tensor }, { denominator: attrs.denominator }),
        targets: () => tf.zeros(targets.shape),
        weights: () => tf.zerosLike(weights),
      };
    },
  });
}

/** Σ w·(−log softmax(logits)[target]) / denominator as a scalar. logits [N, V], targets int32 [N], weights [N]. */
export function fusedSoftmaxCrossEntropy(logits: Tensor, targets: Tensor, weights: Tensor, denominator: number): Tensor {
  register();
  return tf.tidy(() => {
    const out = runKernel(LOSS, { logits, targets, weights }, { denominator }); // [1], or [N] per row above ROWS_MIN_V
    return (logits.shape[1] as number) > ROWS_MIN_V ? tf.sum(out) : tf.reshape(out, []);
  });
}

/** Number of rows whose argmax (first maximum) equals the target and whose weight is > 0, as a float scalar. */
export function fusedWeightedArgmaxHits(logits: Tensor, targets: Tensor, weights: Tensor): Tensor {
  register();
  return tf.tidy(() => {
    const out = runKernel(HITS, { logits, targets, weights }); // [1], or [N] per row above ROWS_MIN_V
    return (logits.shape[1] as number) > ROWS_MIN_V ? tf.sum(out) : tf.reshape(out, []);
  });
}
