// Fused SwiGLU gate silu(gate)·up in WGSL (Llama/Qwen2 MLP): forward one dispatch, each input's gradient one.
import { type Tensor } from '../../tf';
import { registerKernelGradient, registerWebGPUKernel, runKernel, runProgram, type ProgramSpec } from '../program';

const SWIGLU = 'TuneLabSwiglu';
const GRAD_GATE = 'TuneLabSwigluGradGate';
const GRAD_UP = 'TuneLabSwigluGradUp';
const WORKGROUP = 256;

/** σ(g) that saturates: exp(−g) → ∞ gives 0. */
const sigmoid = /* wgsl */ `fn sigmoid(g: f32) -> f32 { return 1.0 / (1.0 + exp(-g)); }`;

const forwardCode = /* wgsl */ `${sigmoid}
fn main(index: i32) {
  if (index >= uniforms.count) { return; }
  let g = gate[index];
  result[index] = g * sigmoid(g) * up[index];
}`;

/** d/dg [g·σ(g)·u] = u·σ(g)·(1 + g·(1 − σ(g))). */
const gradGateCode = /* wgsl */ `${sigmoid}
fn main(index: i32) {
  if (index >= uniforms.count) { return; }
  let g = gate[index];
  let s = sigmoid(g);
  result[index] = dy[index] * up[index] * s * (1.0 + g * (1.0 - s));
}`;

const gradUpCode = /* wgsl */ `${sigmoid}
fn main(index: i32) {
  if (index >= uniforms.count) { return; }
  let g = gate[index];
  result[index] = dy[index] * g * sigmoid(g);
}`;

function spec(name: string, shape: number[], inputs: string[], code: string): ProgramSpec {
  const count = shape.reduce((a, b) => a * b, 1);
  return { name, key: '', outputShape: shape, inputs, uniforms: [{ name: 'count', type: 'i32', value: count }], threads: count, workgroupSize: WORKGROUP, code };
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  registerWebGPUKernel(SWIGLU, (i, _a, backend) => runProgram(backend, spec('swiglu', i.gate.shape, ['gate', 'up'], forwardCode), [i.gate, i.up]));
  registerWebGPUKernel(GRAD_GATE, (i, _a, backend) => runProgram(backend, spec('swiglu_grad_gate', i.gate.shape, ['gate', 'up', 'dy'], gradGateCode), [i.gate, i.up, i.dy]));
  registerWebGPUKernel(GRAD_UP, (i, _a, backend) => runProgram(backend, spec('swiglu_grad_up', i.gate.shape, ['gate', 'dy'], gradUpCode), [i.gate, i.dy]));
  registerKernelGradient({
    kernelName: SWIGLU,
    inputsToSave: ['gate', 'up'],
    gradFunc: (dy, saved) => {
      const [gate, up] = saved;
      return {
        gate: () => runKernel(GRAD_GATE, { gate, up, dy: dy as Tensor }),
        up: () => runKernel(GRAD_UP, { gate, dy: dy as Tensor }),
      };
    },
  });
}

/** silu(gate)·up elementwise; gate and up have the same shape. */
export function fusedSwiglu(gate: Tensor, up: Tensor): Tensor {
  register();
  return runKernel(SWIGLU, { gate, up });
}
