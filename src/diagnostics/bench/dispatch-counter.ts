// Counts GPU compute dispatches by wrapping GPUComputePassEncoder.prototype.dispatchWorkgroups (tfjs and our kernels alike), and readbacks (GPUBuffer.mapAsync).

let count = 0;
let readbacks = 0;
let installed = false;

/** Installs the counting wrapper once; every dispatch in this worker goes through it from then on. */
export function installDispatchCounter(): void {
  if (installed) return;
  const proto = (globalThis as { GPUComputePassEncoder?: { prototype: GPUComputePassEncoder } }).GPUComputePassEncoder?.prototype;
  if (!proto) throw new Error('GPUComputePassEncoder is not defined here: the dispatch counter needs WebGPU');
  const original = proto.dispatchWorkgroups;
  const indirect = proto.dispatchWorkgroupsIndirect;
  proto.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...args: Parameters<GPUComputePassEncoder['dispatchWorkgroups']>) {
    count++;
    return original.apply(this, args);
  };
  proto.dispatchWorkgroupsIndirect = function (this: GPUComputePassEncoder, ...args: Parameters<GPUComputePassEncoder['dispatchWorkgroupsIndirect']>) {
    count++;
    return indirect.apply(this, args);
  };
  const buffer = (globalThis as { GPUBuffer?: { prototype: GPUBuffer } }).GPUBuffer?.prototype;
  if (buffer) {
    const mapAsync = buffer.mapAsync;
    buffer.mapAsync = function (this: GPUBuffer, ...args: Parameters<GPUBuffer['mapAsync']>) {
      readbacks++;
      return mapAsync.apply(this, args);
    };
  }
  installed = true;
}

/** Dispatches since the counter was installed. Read it before and after the code you measure. */
export function dispatchCount(): number {
  return count;
}

/** Buffer maps (GPU → CPU readbacks) since the counter was installed. */
export function readbackCount(): number {
  return readbacks;
}
