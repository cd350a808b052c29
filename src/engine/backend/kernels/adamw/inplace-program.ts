// A raw WGSL compute pass recorded on tfjs's own command queue that writes into existing tensors' buffers in place
// (tfjs programs have exactly one fresh output; the AdamW update needs to write every parameter and both moments).
import { tf } from '../../tf';
import type { WebGPUBackend } from '../webgpu-backend';

type TensorInfo = tf.TensorInfo;

/**
 * The parts of tfjs-backend-webgpu 4.x's WebGPUBackend that a raw pass needs. They are private in its typings but
 * stable across 4.x; recording through them keeps tfjs's ordering, buffer lifetimes and deferred submission intact.
 */
interface BackendInternals {
  device: GPUDevice;
  tensorMap: { get(dataId: object): { refCount: number; values: unknown; resource: unknown } | undefined };
  uploadToGPU(dataId: object): void;
  makeUniforms(uniforms: { type: 'int32' | 'float32'; data: number[] }[]): GPUBufferBinding;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  commandEncoder: GPUCommandEncoder;
  computePassEncoder: GPUComputePassEncoder | null;
  commandQueueOwnedIds: WeakSet<object>;
  dispatchCountInPass: number;
}

/** A storage binding: the tensor and whether the shader writes it. */
export interface RawBinding {
  tensor: TensorInfo;
  write: boolean;
}

export interface RawPass {
  /** Pipeline cache key (the WGSL must be a function of it). */
  key: string;
  /** WGSL with `@group(0)` bindings 0..n-1 for `bindings` (in order) and binding n for the uniform struct. */
  code: string;
  bindings: RawBinding[];
  /** Uniform struct fields in declaration order: each a scalar i32 or f32. */
  uniforms: { type: 'int32' | 'float32'; value: number }[];
  /** Invocations, dispatched as rawDispatch folds them: x + y·(x workgroups · workgroupSize) is the flat index. */
  threads: number;
  workgroupSize: number;
}

/** BackendInternals by kind, so inplace-program.test.ts fails, naming this file, when a tfjs update drops or renames one. */
const INTERNAL_METHODS = ['uploadToGPU', 'makeUniforms', 'ensureCommandEncoderReady', 'endComputePassEncoder', 'submitQueue'] as const satisfies readonly (keyof BackendInternals)[];
const INTERNAL_FIELDS = ['device', 'tensorMap', 'commandEncoder', 'computePassEncoder', 'commandQueueOwnedIds', 'dispatchCountInPass'] as const satisfies readonly (keyof BackendInternals)[];

/** The private WebGPUBackend members this file relies on that `backend` lacks (methods checked on any object, fields on an instance). */
export function missingBackendInternals(backend: object, { fields = true } = {}): string[] {
  const b = backend as Record<string, unknown>;
  const methods = INTERNAL_METHODS.filter((m) => typeof b[m] !== 'function').map((m) => `${m}()`);
  return fields ? [...methods, ...INTERNAL_FIELDS.filter((f) => !(f in b))] : methods;
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

function internals(backend: WebGPUBackend): BackendInternals {
  return backend as unknown as BackendInternals;
}

/** The device's storage-buffer bindings per shader stage (what one raw pass may bind). */
export function storageBindingLimit(backend: WebGPUBackend): number {
  return internals(backend).device.limits.maxStorageBuffersPerShaderStage;
}

/** True when no other tensor shares this tensor's buffer, so writing it in place changes nothing else. */
export function ownsBuffer(backend: WebGPUBackend, t: TensorInfo): boolean {
  return internals(backend).tensorMap.get(t.dataId)?.refCount === 1;
}

/** Workgroups as [x, y] so that x stays within the per-dimension limit; the shader's flat index is x + y·(x count). */
export function rawDispatch(threads: number, workgroupSize: number, maxPerDimension: number): [number, number] {
  const groups = Math.max(1, Math.ceil(threads / workgroupSize));
  const x = Math.min(groups, maxPerDimension);
  return [x, Math.ceil(groups / x)];
}

/** The device's limit on workgroups along one dispatch dimension (rawDispatch folds the rest into y). */
export function maxWorkgroupsPerDimension(backend: WebGPUBackend): number {
  return internals(backend).device.limits.maxComputeWorkgroupsPerDimension;
}

/**
 * Records one dispatch of `pass` on the backend's queue, in order with the tfjs kernels around it. Written tensors'
 * CPU copies are dropped so later reads see the new values. Throws when a written buffer is shared (see ownsBuffer).
 */
export function runRawPass(backend: WebGPUBackend, pass: RawPass): void {
  const b = internals(backend);
  for (const { tensor, write } of pass.bindings) {
    b.uploadToGPU(tensor.dataId);
    if (write && !ownsBuffer(backend, tensor)) throw new Error(`internal: ${pass.key} would write a buffer other tensors share`);
  }
  let cache = pipelines.get(b.device);
  if (!cache) pipelines.set(b.device, (cache = new Map()));
  let pipeline = cache.get(pass.key);
  if (!pipeline) {
    const module = b.device.createShaderModule({ code: pass.code, label: pass.key });
    pipeline = b.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: pass.key });
    cache.set(pass.key, pipeline);
  }
  const uniform = b.makeUniforms(pass.uniforms.map((u) => ({ type: u.type, data: [u.value] })));
  const entries: GPUBindGroupEntry[] = pass.bindings.map(({ tensor }, i) => ({
    binding: i,
    resource: { buffer: b.tensorMap.get(tensor.dataId)!.resource as GPUBuffer },
  }));
  entries.push({ binding: pass.bindings.length, resource: uniform });
  const bindGroup = b.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  for (const { tensor } of pass.bindings) b.commandQueueOwnedIds.add(tensor.dataId);
  b.ensureCommandEncoderReady();
  b.computePassEncoder ??= b.commandEncoder.beginComputePass({});
  const [x, y] = rawDispatch(pass.threads, pass.workgroupSize, b.device.limits.maxComputeWorkgroupsPerDimension);
  b.computePassEncoder.setPipeline(pipeline);
  b.computePassEncoder.setBindGroup(0, bindGroup);
  b.computePassEncoder.dispatchWorkgroups(x, y, 1);
  b.dispatchCountInPass++;
  for (const { tensor, write } of pass.bindings) if (write) b.tensorMap.get(tensor.dataId)!.values = null;
  if (tf.env().getNumber('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') <= b.dispatchCountInPass) {
    b.endComputePassEncoder();
    b.submitQueue();
  }
}
