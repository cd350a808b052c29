// The running tfjs WebGPU backend for our own kernels (through the package's public types only) and the one switch that
// turns the fused kernels on. How a kernel is built and registered is program.ts.
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf';

export type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** A uniform value for runWebGPUProgram: tfjs packs these after its own shape uniforms. */
export type ProgramUniform = { type: 'int32' | 'float32'; data: number[] }[];

/** Switch for the fused kernels (tests and the bench compare both paths; on by default). */
let fusedEnabled = true;

/** Tests and the bench compare fused kernels with the composite tf ops on the same backend (one switch for all kernels). */
export function setFusedKernels(on: boolean): void {
  fusedEnabled = on;
}

/** True when ops should take the fused WGSL path: the active backend is tfjs WebGPU and the switch is on; elsewhere the composite tf ops run. */
export function useFusedKernels(): boolean {
  return fusedEnabled && tf.getBackend() === 'webgpu';
}

export function webgpuBackend(): WebGPUBackend {
  return tf.backend() as unknown as WebGPUBackend;
}
