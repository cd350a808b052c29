// Fused LayerNorm and RMSNorm over the last axis in WGSL: forward one dispatch, dx one, dgamma two, dbeta one.
//
// One invocation per row (no workgroup memory, no barriers: cheap on software adapters). Gradients are per input
// (tfjs asks only for what the tape needs), so LoRA training, whose norm weights are frozen, pays for dx alone.
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf, type Tensor } from '../tf';
import { registerKernelGradient, registerWebGPUKernel, runKernel, runProgram, type Uniform } from './program';

const LAYER_NORM = 'TuneLabLayerNorm';
const RMS_NORM = 'TuneLabRmsNorm';
const GRAD_X = 'TuneLabNormGradX';
const STATS = 'TuneLabNormStats';
const GRAD_GAMMA = 'TuneLabNormGradGamma';
const WORKGROUP = 64;

interface NormAttrs {
  eps: number;
  /** RMSNorm (no centring, no beta) instead of LayerNorm. */
  rms: boolean;
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

/** dx = r·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·γ, x̂ = (x − μ)·r (RMSNorm: no mean(g) term, μ = 0). */
function gradXCode(rms: boolean): string {
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
    result[i] = st.y * (dy[i] * gamma[c] - meanG - xhat * meanGX);
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
    const { eps, rms } = attrsOf(attrs);
    return rowProgram(backend, 'norm_grad_x', rms, inputs.x, eps, inputs.x.shape, ['x', 'gamma', 'dy'], [inputs.x, inputs.gamma, inputs.dy], gradXCode(rms));
  });
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

  const gradX = (x: Tensor, gamma: Tensor, dy: Tensor, a: NormAttrs) => runKernel(GRAD_X, { x, gamma, dy }, { ...a });
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
