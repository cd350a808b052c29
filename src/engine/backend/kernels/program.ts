// The one way a kernel is built and registered: WGSL as a tfjs WebGPU program (the backend's public program interface),
// registered once per name for the 'webgpu' backend with its gradient, and run through the engine so it is taped.
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf';

type TensorInfo = tf.TensorInfo;

/** A scalar uniform the kernel reads as `uniforms.<name>`. */
export interface Uniform {
  name: string;
  type: 'i32' | 'f32';
  value: number;
}

export interface ProgramSpec {
  /** Pipeline label and shader-key prefix. */
  name: string;
  /** Everything baked into the WGSL besides the name (e.g. head dim); shapes travel as uniforms, so they stay out. */
  key: string;
  outputShape: number[];
  /** Storage bindings in order; every one must be read by the shader (tfjs binds all of them). */
  inputs: string[];
  uniforms: Uniform[];
  /** Total invocations; the shader's `fn main(index: i32)` gets the flat invocation index. */
  threads: number;
  workgroupSize: number;
  /** WGSL: helpers and `fn main(index: i32)`; writes `result`. */
  code: string;
  /** Per input, 4 binds it as array<vec4<f32>> (element offsets must then be multiples of 4); default 1. */
  components?: number[];
  /** 4 makes `result` an array<vec4<f32>>. */
  outputComponent?: number;
}

/** Runs one program: one dispatch, one output. */
export function runProgram(backend: WebGPUBackend, spec: ProgramSpec, inputs: TensorInfo[], dtype: 'float32' | 'int32' = 'float32'): TensorInfo {
  if (inputs.length !== spec.inputs.length) throw new Error(`internal: ${spec.name} takes ${spec.inputs.length} inputs, got ${inputs.length}`);
  const program: WebGPUProgram = {
    outputShape: spec.outputShape,
    shaderKey: `tunelab_${spec.name}_${spec.key}`,
    variableNames: spec.inputs,
    uniforms: spec.uniforms.map((u) => `${u.name} : ${u.type},`).join(' '),
    workgroupSize: [spec.workgroupSize, 1, 1],
    // Flat layout: tfjs folds a too-large x dispatch into y/z and still hands main() the flat index.
    dispatchLayout: { x: spec.outputShape.map((_, i) => i) },
    dispatch: [Math.max(1, Math.ceil(spec.threads / spec.workgroupSize)), 1, 1],
    getUserCode: () => spec.code,
    ...(spec.components ? { variableComponents: spec.components } : {}),
    ...(spec.outputComponent ? { outputComponent: spec.outputComponent } : {}),
  };
  const data = spec.uniforms.map((u) => ({ type: u.type === 'f32' ? 'float32' : 'int32', data: [u.value] }));
  return backend.runWebGPUProgram(program, inputs, dtype, data);
}

/** Registers a tfjs kernel for the 'webgpu' backend once (re-registering throws in tfjs; re-imports in tests and HMR would). */
export function registerWebGPUKernel(
  kernelName: string,
  kernelFunc: (inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>, backend: WebGPUBackend) => TensorInfo | TensorInfo[],
): void {
  if (tf.getKernel(kernelName, 'webgpu')) return;
  tf.registerKernel({
    kernelName,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => kernelFunc(inputs as Record<string, TensorInfo>, (attrs ?? {}) as Record<string, unknown>, backend as unknown as WebGPUBackend),
  });
}

/** Registers the gradient of one of our kernels once. */
export function registerKernelGradient(config: tf.GradConfig): void {
  if (tf.getGradient(config.kernelName)) return;
  tf.registerGradient(config);
}

/** Runs a registered kernel through the engine (so it is taped for gradients). */
export function runKernel(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): tf.Tensor {
  return tf.engine().runKernel(kernelName, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
}

/** WGSL: a vec4 of four consecutive floats of a storage array at element offset p (offsets need not be aligned). */
export function load4(array: string, p: string): string {
  return `vec4<f32>(${array}[${p}], ${array}[${p} + 1], ${array}[${p} + 2], ${array}[${p} + 3])`;
}
