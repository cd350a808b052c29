// Measured GPU memory of the tfjs WebGPU backend: live and allocated buffer bytes with their peaks, tracked as buffers are handed out.
import { tf } from './tf';

/**
 * Bytes of GPU buffers as measured, not estimated. Every buffer of the engine comes from tfjs's buffer manager:
 * tensors, the outputs of our WGSL kernels (they run through runWebGPUProgram), uniforms of both, upload and
 * readback staging. Buffers created on the device around the manager are counted apart (`unmanagedBytes`).
 */
export interface DeviceMemory {
  /** Buffers in use now (tensors alive or awaiting the queue's submit, uniforms, staging). */
  liveBytes: number;
  /** The most `liveBytes` reached since the last reset. */
  peakLiveBytes: number;
  /** Buffers the device holds now: in use plus tfjs's pool of free buffers kept for reuse (by exact size). */
  allocatedBytes: number;
  /** The most `allocatedBytes` reached since the last reset: the device memory the work needed. */
  peakAllocatedBytes: number;
  /** Bytes of buffers created on the device outside tfjs's manager since the meter started (0 in the engine today). */
  unmanagedBytes: number;
  /** The largest single buffer handed out since the last reset (checked against maxStorageBufferBindingSize). */
  largestBufferBytes: number;
}

/** tfjs-backend-webgpu 4.x's buffer manager (private in its typings, public fields in its code). */
interface BufferManagerInternals {
  numBytesUsed: number;
  numBytesAllocated: number;
  numFreeBuffers?: number;
  freeBuffers?: Map<string, GPUBuffer[]>;
  acquireBuffer(size: number, usage: number, mappedAtCreation?: boolean, reuse?: boolean): GPUBuffer;
}

interface MeteredBackend {
  bufferManager?: BufferManagerInternals;
  device?: GPUDevice;
}

export class DeviceMemoryMeter {
  private peakLive = 0;
  private peakAllocated = 0;
  private unmanaged = 0;
  private largest = 0;

  constructor(private readonly manager: BufferManagerInternals, device: GPUDevice) {
    this.resetPeak();
    const acquire = manager.acquireBuffer.bind(manager);
    let inManager = false;
    manager.acquireBuffer = (size, usage, mappedAtCreation, reuse) => {
      this.largest = Math.max(this.largest, size);
      inManager = true;
      try {
        return acquire(size, usage, mappedAtCreation, reuse);
      } finally {
        inManager = false;
        this.observe();
      }
    };
    const create = device.createBuffer.bind(device);
    device.createBuffer = (descriptor: GPUBufferDescriptor) => {
      const buffer = create(descriptor);
      if (!inManager) {
        this.largest = Math.max(this.largest, descriptor.size);
        this.unmanaged += descriptor.size;
        this.observe();
      }
      return buffer;
    };
  }

  private observe(): void {
    const live = this.manager.numBytesUsed + this.unmanaged;
    const allocated = this.manager.numBytesAllocated + this.unmanaged;
    if (live > this.peakLive) this.peakLive = live;
    if (allocated > this.peakAllocated) this.peakAllocated = allocated;
  }

  /** Starts a new peak from what is in use and allocated now (e.g. at the start of a step or a run). */
  resetPeak(): void {
    this.peakLive = this.manager.numBytesUsed + this.unmanaged;
    this.peakAllocated = this.manager.numBytesAllocated + this.unmanaged;
    this.largest = 0;
  }

  /**
   * Destroys the buffers tfjs keeps free for reuse (its pool, by exact size), so that a following peak of allocated
   * bytes counts what the next work needs rather than what earlier work left (the bench's float64 check before its
   * step). Call with the queue idle (after a readback). Returns the bytes released.
   */
  releaseFreeBuffers(): number {
    const free = this.manager.freeBuffers;
    if (!(free instanceof Map)) return 0;
    let bytes = 0;
    let count = 0;
    for (const list of free.values()) {
      for (const buffer of list) {
        bytes += buffer.size;
        count++;
        buffer.destroy();
      }
      list.length = 0; // the keys stay: tfjs releases nothing into a pool with no keys
    }
    this.manager.numBytesAllocated -= bytes;
    if (typeof this.manager.numFreeBuffers === 'number') this.manager.numFreeBuffers -= count;
    return bytes;
  }

  read(): DeviceMemory {
    this.observe();
    return {
      liveBytes: this.manager.numBytesUsed + this.unmanaged,
      peakLiveBytes: this.peakLive,
      allocatedBytes: this.manager.numBytesAllocated + this.unmanaged,
      peakAllocatedBytes: this.peakAllocated,
      unmanagedBytes: this.unmanaged,
      largestBufferBytes: this.largest,
    };
  }
}

const meters = new WeakMap<object, DeviceMemoryMeter>();

/**
 * The meter of the running WebGPU backend, attached on first call (it sees buffers handed out from then on, and
 * the totals tfjs already counted); null on wasm/cpu, or if tfjs's buffer manager is not where 4.x keeps it.
 */
export function deviceMemoryMeter(): DeviceMemoryMeter | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as MeteredBackend;
  const existing = meters.get(backend);
  if (existing) return existing;
  const manager = backend.bufferManager;
  if (!manager || typeof manager.acquireBuffer !== 'function' || typeof manager.numBytesUsed !== 'number' || !backend.device) return null;
  const meter = new DeviceMemoryMeter(manager, backend.device);
  meters.set(backend, meter);
  return meter;
}
