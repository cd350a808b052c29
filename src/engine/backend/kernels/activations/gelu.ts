// Fused tanh-approximation GELU (GPT-2's "gelu_new") in WGSL: forward one dispatch, backward one (tfjs composes ~8 + ~15).
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf, type Tensor } from '../../tf';
import { registerKernelGradient, registerWebGPUKernel, runKernel, runProgram } from '../program';

const GELU = 'TuneLabGelu';
const GELU_GRAD = 'TuneLabGeluGrad';
const WORKGROUP = 256;

/** tanh on a clamped argument: some drivers compute tanh through exp and return NaN for large |u|; tanh(±10) is ±1 in f32. */
const common = /* wgsl */ `
const K0: f32 = 0.7978845608028654; // sqrt(2 / pi)
const K1: f32 = 0.044715;
fn safeTanh(u: f32) -> f32 { return tanh(clamp(u, -10.0, 10.0)); }
`;

const forwardCode = /* wgsl */ `${common}
fn main(index: i32) {
  if (index >= uniforms.count) { return; }
  let v = x[index];
  result[index] = 0.5 * v * (1.0 + safeTanh(K0 * (v + K1 * v * v * v)));
}`;

/**
 * WGSL: geluGradFactor(v) = d/dv [½v(1 + tanh u)] = ½(1 + tanh u) + ½v(1 − tanh²u)·K0(1 + 3K1v²), u = K0(v + K1v³).
 * The GELU backward is dy · geluGradFactor(x), here and in the fused matmul's epilogue (GeluLinear's dx).
 */
export const GELU_GRAD_WGSL = /* wgsl */ `${common}
fn geluGradFactor(v: f32) -> f32 {
  let t = safeTanh(K0 * (v + K1 * v * v * v));
  return 0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * K0 * (1.0 + 3.0 * K1 * v * v);
}`;

const gradCode = /* wgsl */ `${GELU_GRAD_WGSL}
fn main(index: i32) {
  if (index >= uniforms.count) { return; }
  result[index] = dy[index] * geluGradFactor(x[index]);
}`;

const count = (x: tf.TensorInfo) => x.shape.reduce((a, b) => a * b, 1);

/** Records GELU(x) on the backend (one dispatch): for kernels that apply GELU inside their own forward. */
export function runGeluProgram(backend: WebGPUBackend, x: tf.TensorInfo): tf.TensorInfo {
  const n = count(x);
  return runProgram(backend, { name: 'gelu', key: '', outputShape: x.shape, inputs: ['x'], uniforms: [{ name: 'count', type: 'i32', value: n }], threads: n, workgroupSize: WORKGROUP, code: forwardCode }, [x]);
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  const elementwise = (name: string, code: string) => (inputs: Record<string, tf.TensorInfo>, names: string[]) => ({
    name,
    key: '',
    outputShape: inputs[names[0]].shape,
    inputs: names,
    uniforms: [{ name: 'count', type: 'i32' as const, value: inputs[names[0]].shape.reduce((a, b) => a * b, 1) }],
    threads: inputs[names[0]].shape.reduce((a, b) => a * b, 1),
    workgroupSize: WORKGROUP,
    code,
  });
  registerWebGPUKernel(GELU, (inputs, _attrs, backend) => runGeluProgram(backend, inputs.x));
  registerWebGPUKernel(GELU_GRAD, (inputs, _attrs, backend) => runProgram(backend, elementwise('gelu_grad', gradCode)(inputs, ['x', 'dy']), [inputs.x, inputs.dy]));
  registerKernelGradient({
    kernelName: GELU,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => runKernel(GELU_GRAD, { x: saved[0], dy: dy as Tensor }) }),
  });
}

/** GELU, tanh approximation (HF "gelu_new"), elementwise on any shape. */
export function fusedGelu(x: Tensor): Tensor {
  register();
  return runKernel(GELU, { x });
}
