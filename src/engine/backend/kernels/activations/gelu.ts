// Fused tanh-approximation GELU (GPT-2's "gelu_new") in WGSL: forward one dispatch, backward one (tfjs composes ~8 + ~15).
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

/** d/dx [½x(1 + tanh u)] = ½(1 + tanh u) + ½x(1 − tanh²u)·K0(1 + 3K1x²). */
const gradCode = /* wgsl */ `${common}
fn main(index: i32) {
  if (index >= uniforms.count) { return; }
  let v = x[index];
  let t = safeTanh(K0 * (v + K1 * v * v * v));
  result[index] = dy[index] * (0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * K0 * (1.0 + 3.0 * K1 * v * v));
}`;

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
  registerWebGPUKernel(GELU, (inputs, _attrs, backend) => runProgram(backend, elementwise('gelu', forwardCode)(inputs, ['x']), [inputs.x]));
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
