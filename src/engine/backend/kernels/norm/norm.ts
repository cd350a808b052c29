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

/**
 * Rows of at most this many floats get kernels specialised on C: each element of x (and dy) is loaded once into
 * a named value and reused, where the looped kernels reload it on every pass (x 3 times per element forward; x 4
 * times and dy twice in dx). Software adapters gather every storage load lane by lane, so loads are their cost. The
 * sums run in the same order as the looped kernels', so results are the same.
 */
const UNROLLED_MAX_C = 256;

let unrolledNorms = true;

/** Turns the C-specialised kernels off (looped kernels for every width): the bench's A/B compares both in one process. */
export function setUnrolledNorms(on: boolean): void {
  unrolledNorms = on;
}

const unrolled = (C: number) => unrolledNorms && C <= UNROLLED_MAX_C;
const each = (C: number, line: (c: number) => string) => Array.from({ length: C }, (_, c) => line(c)).join('\n  ');

/** WGSL: the row's C floats of `array` from `base` as let-values <prefix>0 … <prefix>(C−1). */
const loadRow = (array: string, prefix: string, C: number) => each(C, (c) => `let ${prefix}${c} = ${array}[base + ${c}];`);

/** WGSL: mean (0 for RMSNorm) and inv = 1/sqrt(var + eps) of the loaded row x0 … x(C−1), in rowStats' order. */
function unrolledStats(rms: boolean, C: number): string {
  return `var mean = 0.0;
  ${rms ? '' : `${each(C, (c) => `mean += x${c};`)}
  mean = mean / f32(${C});`}
  var ss = 0.0;
  ${each(C, (c) => `{ let d = x${c} - mean; ss += d * d; }`)}
  let inv = inverseSqrt(ss / f32(${C}) + uniforms.eps);`;
}

function unrolledForwardCode(rms: boolean, C: number): string {
  return /* wgsl */ `
fn main(index: i32) {
  if (index >= uniforms.nN) { return; }
  let base = index * ${C};
  ${loadRow('x', 'x', C)}
  ${unrolledStats(rms, C)}
  ${each(C, (c) => `result[base + ${c}] = (x${c} - mean) * inv * gamma[${c}]${rms ? '' : ` + beta[${c}]`};`)}
}`;
}

function unrolledGradXCode(rms: boolean, residual: boolean, C: number): string {
  return /* wgsl */ `
fn main(index: i32) {
  if (index >= uniforms.nN) { return; }
  let base = index * ${C};
  ${loadRow('x', 'x', C)}
  ${unrolledStats(rms, C)}
  var sumG = 0.0;
  var sumGX = 0.0;
  ${each(C, (c) => `let g${c} = dy[base + ${c}] * gamma[${c}];
  sumG += g${c};
  sumGX += g${c} * (x${c} - mean) * inv;`)}
  let meanG = ${rms ? '0.0' : `sumG / f32(${C})`};
  let meanGX = sumGX / f32(${C});
  ${each(C, (c) => `result[base + ${c}] = inv * (g${c} - meanG - (x${c} - mean) * inv * meanGX)${residual ? ` + dres[base + ${c}]` : ''};`)}
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
  const width = (x: tf.TensorInfo) => x.shape[x.shape.length - 1];
  const rowProgram = (backend: WebGPUBackend, name: string, rms: boolean, x: tf.TensorInfo, eps: number, outputShape: number[], inputs: string[], infos: tf.TensorInfo[], code: string) =>
    runProgram(backend, { name, key: `${rms ? 'rms' : 'ln'}${unrolled(width(x)) ? `_c${width(x)}` : ''}`, outputShape, inputs, uniforms: shapeUniforms(x, eps), threads: rows(x), workgroupSize: WORKGROUP, code }, infos);
  const fwdCode = (rms: boolean, x: tf.TensorInfo) => (unrolled(width(x)) ? unrolledForwardCode(rms, width(x)) : forwardCode(rms));

  registerWebGPUKernel(LAYER_NORM, (inputs, attrs, backend) =>
    rowProgram(backend, 'layer_norm', false, inputs.x, attrsOf(attrs).eps, inputs.x.shape, ['x', 'gamma', 'beta'], [inputs.x, inputs.gamma, inputs.beta], fwdCode(false, inputs.x)),
  );
  registerWebGPUKernel(RMS_NORM, (inputs, attrs, backend) =>
    rowProgram(backend, 'rms_norm', true, inputs.x, attrsOf(attrs).eps, inputs.x.shape, ['x', 'gamma'], [inputs.x, inputs.gamma], fwdCode(true, inputs.x)),
  );
  registerWebGPUKernel(GRAD_X, (inputs, attrs, backend) => {
    const { eps, rms, hasResidual } = attrsOf(attrs);
    const names = ['x', 'gamma', 'dy', ...(hasResidual ? ['dres'] : [])];
    const name = hasResidual ? 'norm_grad_x_res' : 'norm_grad_x';
    const C = width(inputs.x);
    const code = unrolled(C) ? unrolledGradXCode(rms, !!hasResidual, C) : gradXCode(rms, !!hasResidual);
    return rowProgram(backend, name, rms, inputs.x, eps, inputs.x.shape, names, names.map((n) => inputs[n]), code);
  });
  // [norm(x), x]: the second output is x itself (its buffer, one more reference), not a copy.
  for (const [kernelName, rms] of [[LAYER_NORM_STREAM, false], [RMS_NORM_STREAM, true]] as const) {
    registerWebGPUKernel(kernelName, (inputs, attrs, gpu) => {
      const { x, gamma, beta } = inputs;
      const eps = attrsOf(attrs).eps;
      const y = rms
        ? rowProgram(gpu, 'rms_norm', true, x, eps, x.shape, ['x', 'gamma'], [x, gamma], fwdCode(true, x))
        : rowProgram(gpu, 'layer_norm', false, x, eps, x.shape, ['x', 'gamma', 'beta'], [x, gamma, beta], fwdCode(false, x));
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
