// Fused LayerNorm and RMSNorm over the last axis in WGSL: forward one dispatch, dx one, dgamma two, dbeta one.
// The stream variants also hand x on as a second output (no copy) for the skip connection, and their dx adds that
// output's gradient in the same dispatch, so the residual stream's two gradients need no add of their own.
//
// One invocation per row (no workgroup memory, no barriers: cheap on software adapters). Gradients are per input
// (tfjs asks only for what the tape needs), so LoRA training, whose norm weights are frozen, pays for dx alone.
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf, type Tensor } from '../../tf';
import { registerKernelGradient, registerWebGPUKernel, runKernel, runProgram, type Uniform } from '../program';

const LAYER_NORM = 'TuneLabLayerNorm';
const RMS_NORM = 'TuneLabRmsNorm';
const LAYER_NORM_STREAM = 'TuneLabLayerNormStream';
const RMS_NORM_STREAM = 'TuneLabRmsNormStream';
const GRAD_X = 'TuneLabNormGradX';
const STATS = 'TuneLabNormStats';
const GRAD_GAMMA = 'TuneLabNormGradGamma';
const WORKGROUP = 64;

interface NormAttrs {
  eps: number;
  /** RMSNorm (no centring, no beta) instead of LayerNorm. */
  rms: boolean;
  /** dx also adds dres, the gradient of the stream variants' pass-through output. */
  hasResidual?: boolean;
}

/** WGSL: mean (0 for RMSNorm) and 1/sqrt(var + eps) of row n of x [N, C], two passes over the row. */
function rowStats(rms: boolean): string {
  return /* wgsl */ `
fn rowStats(n: i32) -> vec2<f32> {
  let C = uniforms.nC;
  var mean = 0.0;
  ${rms ? '' : 'for (var c = 0; c < C; c++) { mean += x[n * C + c]; }\n  mean = mean / f32(C);'}
  var ss = 0.0;
  for (var c = 0; c < C; c++) { let d = x[n * C + c] - mean; ss += d * d; }
  return vec2<f32>(mean, inverseSqrt(ss / f32(C) + uniforms.eps));
}`;
}

function forwardCode(rms: boolean): string {
  return /* wgsl */ `${rowStats(rms)}
fn main(index: i32) {
  if (index >= uniforms.nN) { return; }
  let C = uniforms.nC;
  let st = rowStats(index);
  for (var c = 0; c < C; c++) {
    let i = index * C + c;
    result[i] = (x[i] - st.x) * st.y * gamma[c]${rms ? '' : ' + beta[c]'};
  }
}`;
}

/** dx = r·(g − mean(g) − x̂·mean(g·x̂)) (+ dres) with g = dy·γ, x̂ = (x − μ)·r (RMSNorm: no mean(g) term, μ = 0). */
function gradXCode(rms: boolean, residual: boolean): string {
  return /* wgsl */ `${rowStats(rms)}
fn main(index: i32) {
  if (index >= uniforms.nN) { return; }
  let C = uniforms.nC;
  let st = rowStats(index);
  var sumG = 0.0;
  var sumGX = 0.0;
  for (var c = 0; c < C; c++) {
    let i = index * C + c;
    let g = dy[i] * gamma[c];
    sumG += g;
    sumGX += g * (x[i] - st.x) * st.y;
  }
  let meanG = ${rms ? '0.0' : 'sumG / f32(C)'};
  let meanGX = sumGX / f32(C);
  for (var c = 0; c < C; c++) {
    let i = index * C + c;
    let xhat = (x[i] - st.x) * st.y;
    result[i] = st.y * (dy[i] * gamma[c] - meanG - xhat * meanGX)${residual ? ' + dres[i]' : ''};
  }
}`;
}

function statsCode(rms: boolean): string {
  return /* wgsl */ `${rowStats(rms)}
fn main(index: i32) {
  if (index >= uniforms.nN) { return; }
  let st = rowStats(index);
  result[2 * index] = st.x;
  result[2 * index + 1] = st.y;
}`;
}

/** dγ[c] = Σₙ dy·x̂, one invocation per column over the rows, with the row stats from STATS. */
const gradGammaCode = /* wgsl */ `
fn main(index: i32) {
  if (index >= uniforms.nC) { return; }
  let C = uniforms.nC;
  var acc = 0.0;
  for (var n = 0; n < uniforms.nN; n++) {
    let i = n * C + index;
    acc += dy[i] * (x[i] - stats[2 * n]) * stats[2 * n + 1];
  }
  result[index] = acc;
}`;

function shapeUniforms(x: tf.TensorInfo, eps: number): Uniform[] {
  const C = x.shape[x.shape.length - 1];
  const N = x.shape.reduce((a, b) => a * b, 1) / C;
  return [
    { name: 'nN', type: 'i32', value: N },
    { name: 'nC', type: 'i32', value: C },
    { name: 'eps', type: 'f32', value: eps },
  ];
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  const attrsOf = (attrs: Record<string, unknown>) => attrs as unknown as NormAttrs;
  const rows = (x: tf.TensorInfo) => x.shape.reduce((a, b) => a * b, 1) / x.shape[x.shape.length - 1];
  const rowProgram = (backend: WebGPUBackend, name: string, rms: boolean, x: tf.TensorInfo, eps: number, outputShape: number[], inputs: string[], infos: tf.TensorInfo[], code: string) =>
    runProgram(backend, { name, key: rms ? 'rms' : 'ln', outputShape, inputs, uniforms: shapeUniforms(x, eps), threads: rows(x), workgroupSize: WORKGROUP, code }, infos);

  registerWebGPUKernel(LAYER_NORM, (inputs, attrs, backend) =>
    rowProgram(backend, 'layer_norm', false, inputs.x, attrsOf(attrs).eps, inputs.x.shape, ['x', 'gamma', 'beta'], [inputs.x, inputs.gamma, inputs.beta], forwardCode(false)),
  );
  registerWebGPUKernel(RMS_NORM, (inputs, attrs, backend) =>
    rowProgram(backend, 'rms_norm', true, inputs.x, attrsOf(attrs).eps, inputs.x.shape, ['x', 'gamma'], [inputs.x, inputs.gamma], forwardCode(true)),
  );
  registerWebGPUKernel(GRAD_X, (inputs, attrs, backend) => {
    const { eps, rms, hasResidual } = attrsOf(attrs);
    const names = ['x', 'gamma', 'dy', ...(hasResidual ? ['dres'] : [])];
    const name = hasResidual ? 'norm_grad_x_res' : 'norm_grad_x';
    return rowProgram(backend, name, rms, inputs.x, eps, inputs.x.shape, names, names.map((n) => inputs[n]), gradXCode(rms, !!hasResidual));
  });
  // [norm(x), x]: the second output is x itself (its buffer, one more reference), not a copy.
  for (const [kernelName, rms] of [[LAYER_NORM_STREAM, false], [RMS_NORM_STREAM, true]] as const) {
    registerWebGPUKernel(kernelName, (inputs, attrs, gpu) => {
      const { x, gamma, beta } = inputs;
      const eps = attrsOf(attrs).eps;
      const y = rms
        ? rowProgram(gpu, 'rms_norm', true, x, eps, x.shape, ['x', 'gamma'], [x, gamma], forwardCode(true))
        : rowProgram(gpu, 'layer_norm', false, x, eps, x.shape, ['x', 'gamma', 'beta'], [x, gamma, beta], forwardCode(false));
      gpu.incRef(x.dataId);
      return [y, { dataId: x.dataId, shape: x.shape, dtype: x.dtype }];
    });
  }
  registerWebGPUKernel(STATS, (inputs, attrs, backend) => {
    const { eps, rms } = attrsOf(attrs);
    return rowProgram(backend, 'norm_stats', rms, inputs.x, eps, [rows(inputs.x) * 2], ['x'], [inputs.x], statsCode(rms));
  });
  registerWebGPUKernel(GRAD_GAMMA, (inputs, _attrs, backend) => {
    const C = inputs.x.shape[inputs.x.shape.length - 1];
    return runProgram(
      backend,
      { name: 'norm_grad_gamma', key: '', outputShape: [C], inputs: ['x', 'dy', 'stats'], uniforms: shapeUniforms(inputs.x, 0), threads: C, workgroupSize: WORKGROUP, code: gradGammaCode },
      [inputs.x, inputs.dy, inputs.stats],
    );
  });

  const gradX = (x: Tensor, gamma: Tensor, dy: Tensor, a: NormAttrs, dres?: Tensor) =>
    runKernel(GRAD_X, dres ? { x, gamma, dy, dres } : { x, gamma, dy }, { ...a, hasResidual: !!dres });
  const gradGamma = (x: Tensor, dy: Tensor, a: NormAttrs) =>
    tf.tidy(() => runKernel(GRAD_GAMMA, { x, dy, stats: runKernel(STATS, { x }, { ...a }) }, { ...a }));
  registerKernelGradient({
    kernelName: LAYER_NORM,
    inputsToSave: ['x', 'gamma'],
    gradFunc: (dy, saved, attrs) => {
      const [x, gamma] = saved;
      const a = { eps: attrs.eps as number, rms: false };
      const C = gamma.shape[0];
      return {
        x: () => gradX(x, gamma, dy as Tensor, a),
        gamma: () => gradGamma(x, dy as Tensor, a),
        beta: () => tf.sum(tf.reshape(dy as Tensor, [-1, C]), 0),
      };
    },
  });
  registerKernelGradient({
    kernelName: RMS_NORM,
    inputsToSave: ['x', 'gamma'],
    gradFunc: (dy, saved, attrs) => {
      const [x, gamma] = saved;
      const a = { eps: attrs.eps as number, rms: true };
      return { x: () => gradX(x, gamma, dy as Tensor, a), gamma: () => gradGamma(x, dy as Tensor, a) };
    },
  });
  // Stream variants: dys = [d norm(x), d x-passed-on] (tfjs hands zeros for an output off the gradient's path).
  registerKernelGradient({
    kernelName: LAYER_NORM_STREAM,
    inputsToSave: ['x', 'gamma'],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dres] = dys as Tensor[];
      const [x, gamma] = saved;
      const a = { eps: attrs.eps as number, rms: false };
      const C = gamma.shape[0];
      return {
        x: () => gradX(x, gamma, dy, a, dres),
        gamma: () => gradGamma(x, dy, a),
        beta: () => tf.sum(tf.reshape(dy, [-1, C]), 0),
      };
    },
  });
  registerKernelGradient({
    kernelName: RMS_NORM_STREAM,
    inputsToSave: ['x', 'gamma'],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dres] = dys as Tensor[];
      const [x, gamma] = saved;
      const a = { eps: attrs.eps as number, rms: true };
      return { x: () => gradX(x, gamma, dy, a, dres), gamma: () => gradGamma(x, dy, a) };
    },
  });
}

/** LayerNorm over the last axis (biased variance, as PyTorch). x [..., C], gamma/beta [C]. */
export function fusedLayerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor {
  register();
  return runKernel(LAYER_NORM, { x, gamma, beta }, { eps, rms: false });
}

/** RMSNorm over the last axis, as HF LlamaRMSNorm. x [..., C], gamma [C]. */
export function fusedRmsNorm(x: Tensor, gamma: Tensor, eps: number): Tensor {
  register();
  return runKernel(RMS_NORM, { x, gamma }, { eps, rms: true });
}

/** [LayerNorm(x), x]: x handed on (same buffer) for the skip connection; use the second output there, not x. */
export function fusedLayerNormStream(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): [Tensor, Tensor] {
  register();
  const [y, pass] = tf.engine().runKernel(LAYER_NORM_STREAM, { x, gamma, beta } as unknown as tf.NamedTensorMap, { eps, rms: false }) as Tensor[];
  return [y, pass];
}

/** [RMSNorm(x), x], as fusedLayerNormStream. */
export function fusedRmsNormStream(x: Tensor, gamma: Tensor, eps: number): [Tensor, Tensor] {
  register();
  const [y, pass] = tf.engine().runKernel(RMS_NORM_STREAM, { x, gamma } as unknown as tf.NamedTensorMap, { eps, rms: true }) as Tensor[];
  return [y, pass];
}
