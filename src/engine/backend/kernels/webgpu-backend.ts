// Access to the running tfjs WebGPU backend for our own kernels, through the package's public types only.
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf';

export type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** A uniform value for runWebGPUProgram: tfjs packs these after its own shape uniforms. */
export type ProgramUniform = { type: 'int32' | 'float32'; data: number[] }[];

/** Switch for the fused kernels (tests compare both paths; on by default). */
let fusedEnabled = true;

export function setFusedKernelsEnabled(on: boolean): void {
  fusedEnabled = on;
}

/** True when ops should take the fused WGSL path: the active backend is tfjs WebGPU and the switch is on. */
export function useFusedKernels(): boolean {
  return fusedEnabled && tf.getBackend() === 'webgpu';
}

export function webgpuBackend(): WebGPUBackend {
  return tf.backend() as unknown as WebGPUBackend;
}

/** Registers a kernel for the webgpu backend once (re-registering throws in tfjs). */
export function registerWebGPUKernelOnce(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, 'webgpu')) return;
  tf.registerKernel(config);
}

/** Registers a gradient once per kernel name. */
export function registerGradientOnce(config: tf.GradConfig): void {
  if (tf.getGradient(config.kernelName)) return;
  tf.registerGradient(config);
}
