// Fused softmax cross-entropy over the vocabulary with per-token weights: loss in one dispatch, its gradient in one more.
//
// loss = Σₙ wₙ·(logsumexp(logitsₙ) − logitsₙ[targetₙ]) / denominator, exactly what softmaxCrossEntropy computes with
// stock ops; d logits = (softmax − onehot)·wₙ·dy / denominator. Neither pass materialises the softmax or a one-hot.
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf, type Tensor } from '../../tf';
import { registerKernelGradient, registerWebGPUKernel, runKernel, runProgram } from '../program';

const LOSS = 'TuneLabSoftmaxCrossEntropy';
const GRAD = 'TuneLabSoftmaxCrossEntropyGrad';
const HITS = 'TuneLabWeightedArgmaxHits';

/** One workgroup; 256 invocations split the rows, then a tree sum in workgroup memory (8 barriers in all). */
const REDUCE = 256;
/** Invocations per row in the gradient: they split the vocabulary and combine (max, sum) pairs. */
const ROW = 64;

const reduceTail = /* wgsl */ `
  partial[lane] = acc;
  workgroupBarrier();
  for (var stride = ${REDUCE / 2}; stride > 0; stride = stride / 2) {
    if (lane < stride) { partial[lane] += partial[lane + stride]; }
    workgroupBarrier();
  }`;

const lossCode = /* wgsl */ `
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

const gradCode = /* wgsl */ `
var<workgroup> rowMax: array<f32, ${ROW}>;
var<workgroup> rowSum: array<f32, ${ROW}>;
fn main(index: i32) {
  let lane = i32(localIndex);
  let n = index / ${ROW};
  let V = uniforms.nV;
  let base = n * V;
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
  let M = rowMax[0];
  let invL = 1.0 / rowSum[0];
  let coef = weights[n] * dy[0] / uniforms.denominator;
  let want = targets[n];
  for (var v = lane; v < V; v += ${ROW}) {
    let p = exp(logits[base + v] - M) * invL;
    result[base + v] = (p - select(0.0, 1.0, v == want)) * coef;
  }
}`;

const hitsCode = /* wgsl */ `
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

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  const dims = (logits: tf.TensorInfo) => [
    { name: 'nN', type: 'i32' as const, value: logits.shape[0] },
    { name: 'nV', type: 'i32' as const, value: logits.shape[1] },
  ];
  const den = (attrs: Record<string, unknown>) => ({ name: 'denominator', type: 'f32' as const, value: attrs.denominator as number });
  registerWebGPUKernel(LOSS, (inputs, attrs, backend: WebGPUBackend) =>
    runProgram(
      backend,
      { name: 'softmax_ce', key: '', outputShape: [1], inputs: ['logits', 'targets', 'weights'], uniforms: [...dims(inputs.logits), den(attrs)], threads: REDUCE, workgroupSize: REDUCE, code: lossCode },
      [inputs.logits, inputs.targets, inputs.weights],
    ),
  );
  registerWebGPUKernel(GRAD, (inputs, attrs, backend: WebGPUBackend) =>
    runProgram(
      backend,
      {
        name: 'softmax_ce_grad',
        key: '',
        outputShape: inputs.logits.shape,
        inputs: ['logits', 'targets', 'weights', 'dy'],
        uniforms: [...dims(inputs.logits), den(attrs)],
        threads: inputs.logits.shape[0] * ROW,
        workgroupSize: ROW,
        code: gradCode,
      },
      [inputs.logits, inputs.targets, inputs.weights, inputs.dy],
    ),
  );
  registerWebGPUKernel(HITS, (inputs, _attrs, backend: WebGPUBackend) =>
    runProgram(
      backend,
      { name: 'argmax_hits', key: '', outputShape: [1], inputs: ['logits', 'targets', 'weights'], uniforms: dims(inputs.logits), threads: REDUCE, workgroupSize: REDUCE, code: hitsCode },
      [inputs.logits, inputs.targets, inputs.weights],
    ),
  );
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
  return tf.tidy(() => tf.reshape(runKernel(LOSS, { logits, targets, weights }, { denominator }), []));
}

/** Number of rows whose argmax (first maximum) equals the target and whose weight is > 0, as a float scalar. */
export function fusedWeightedArgmaxHits(logits: Tensor, targets: Tensor, weights: Tensor): Tensor {
  register();
  return tf.tidy(() => tf.reshape(runKernel(HITS, { logits, targets, weights }), []));
}
