// Where one train step's GPU time goes: records every dispatch of a step (pipeline, bind groups, workgroups, the
// uniforms it saw), then replays each alone, timed, and sums the times per kernel; `npm run bench -- --profile`.
import { tf } from '../../engine/backend/tf';

/** One recorded dispatch: what the pass had set when it was issued. */
interface Dispatch {
  pipeline: GPUComputePipeline;
  bindGroups: GPUBindGroup[];
  workgroups: [number, number, number];
  /** Uniform buffers bound and the bytes last written to each before this dispatch (tfjs reuses uniform buffers). */
  uniforms: [GPUBuffer, ArrayBuffer][];
}

export interface KernelTime {
  kernel: string;
  dispatches: number;
  /** Sum of the kernel's dispatches, each replayed alone (best of the trials), ms. */
  ms: number;
  /** Workgroup counts seen, e.g. "12x16x1" (first few). */
  grids: string[];
}

export interface StepProfile {
  /** Wall time of the recorded step (loss read back), ms. */
  stepMs: number;
  dispatches: number;
  /** Queue submissions during the step, and when the last one happened (ms after the step started). */
  submits: number;
  lastSubmitMs: number;
  /** Sum of every dispatch replayed alone: the step's GPU work without submission, sync or JS overhead. */
  gpuMs: number;
  kernels: KernelTime[];
}

type PassState = { pipeline: GPUComputePipeline | null; bindGroups: GPUBindGroup[] };

interface Recorder {
  /** performance.now() of each queue submission while recording. */
  submits: number[];
  start(): void;
  stop(): Dispatch[];
  name(pipeline: GPUComputePipeline): string;
  restore(): void;
}

/** Wraps the pass encoder, bind-group creation and queue writes (one recorder at a time). */
function installRecorder(): Recorder {
  const g = globalThis as unknown as {
    GPUComputePassEncoder: { prototype: GPUComputePassEncoder };
    GPUDevice: { prototype: GPUDevice };
    GPUQueue: { prototype: GPUQueue };
  };
  const pass = g.GPUComputePassEncoder.prototype;
  const dev = g.GPUDevice.prototype;
  const queue = g.GPUQueue.prototype;
  const orig = { submit: queue.submit, setPipeline: pass.setPipeline, setBindGroup: pass.setBindGroup, dispatch: pass.dispatchWorkgroups, createBindGroup: dev.createBindGroup, writeBuffer: queue.writeBuffer };
  const state = new WeakMap<GPUComputePassEncoder, PassState>();
  const groupBuffers = new WeakMap<GPUBindGroup, GPUBuffer[]>();
  const lastWrite = new WeakMap<GPUBuffer, ArrayBuffer>();
  const names = new WeakMap<GPUComputePipeline, string>();
  let recording = false;
  let log: Dispatch[] = [];
  const submits: number[] = [];

  type Program = { shaderKey?: string; pipeline?: GPUComputePipeline | Promise<GPUComputePipeline>; constructor: { name: string } };
  const backend = tf.backend() as unknown as { runWebGPUProgram: (program: Program, ...rest: unknown[]) => unknown };
  const run = backend.runWebGPUProgram;
  backend.runWebGPUProgram = function (program: Program, ...rest: unknown[]) {
    const out = run.call(this, program, ...rest);
    const ours = program.shaderKey?.startsWith('tunelab');
    const p = program.pipeline;
    if (p && !(p instanceof Promise)) names.set(p, ours ? program.shaderKey!.slice(0, 72) : `tfjs ${program.constructor.name}`);
    return out;
  };

  dev.createBindGroup = function (this: GPUDevice, desc: GPUBindGroupDescriptor) {
    const group = orig.createBindGroup.call(this, desc);
    const buffers: GPUBuffer[] = [];
    for (const e of desc.entries) {
      const r = e.resource as GPUBufferBinding;
      if (r && typeof r === 'object' && 'buffer' in r) buffers.push(r.buffer);
    }
    groupBuffers.set(group, buffers);
    return group;
  };
  queue.writeBuffer = function (this: GPUQueue, buffer: GPUBuffer, offset: number, data: BufferSource | SharedArrayBuffer, dataOffset?: number, size?: number) {
    if (offset === 0 && buffer.usage & GPUBufferUsage.UNIFORM) {
      const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data as ArrayBuffer);
      const start = dataOffset ?? 0;
      lastWrite.set(buffer, bytes.slice(start, size === undefined ? undefined : start + size).buffer);
    }
    return (orig.writeBuffer as (...a: unknown[]) => undefined).call(this, buffer, offset, data, dataOffset, size);
  } as GPUQueue['writeBuffer'];
  queue.submit = function (this: GPUQueue, buffers: Iterable<GPUCommandBuffer>) {
    if (recording) submits.push(performance.now());
    return orig.submit.call(this, buffers);
  };
  pass.setPipeline = function (this: GPUComputePassEncoder, pipeline: GPUComputePipeline) {
    const s = state.get(this) ?? { pipeline: null, bindGroups: [] };
    s.pipeline = pipeline;
    state.set(this, s);
    return orig.setPipeline.call(this, pipeline);
  };
  pass.setBindGroup = function (this: GPUComputePassEncoder, index: number, group: GPUBindGroup | null, ...rest: unknown[]) {
    const s = state.get(this) ?? { pipeline: null, bindGroups: [] };
    if (group) s.bindGroups[index] = group;
    state.set(this, s);
    return (orig.setBindGroup as (...a: unknown[]) => undefined).call(this, index, group, ...rest);
  } as GPUComputePassEncoder['setBindGroup'];
  pass.dispatchWorkgroups = function (this: GPUComputePassEncoder, x: number, y = 1, z = 1) {
    const s = state.get(this);
    if (recording && s?.pipeline) {
      const uniforms: [GPUBuffer, ArrayBuffer][] = [];
      for (const group of s.bindGroups) {
        for (const b of groupBuffers.get(group) ?? []) {
          const bytes = lastWrite.get(b);
          if (bytes && b.usage & GPUBufferUsage.UNIFORM) uniforms.push([b, bytes]);
        }
      }
      log.push({ pipeline: s.pipeline, bindGroups: [...s.bindGroups], workgroups: [x, y, z], uniforms });
    }
    return orig.dispatch.call(this, x, y, z);
  };
  return {
    submits,
    start() {
      log = [];
      submits.length = 0;
      recording = true;
    },
    stop() {
      recording = false;
      return log;
    },
    name: (p) => names.get(p) ?? (p.label || 'unnamed pipeline'),
    restore() {
      Object.assign(pass, { setPipeline: orig.setPipeline, setBindGroup: orig.setBindGroup, dispatchWorkgroups: orig.dispatch });
      dev.createBindGroup = orig.createBindGroup;
      queue.writeBuffer = orig.writeBuffer;
      queue.submit = orig.submit;
      backend.runWebGPUProgram = run;
    },
  };
}

/** ms of `reps` back-to-back copies of one dispatch in one submission, waited for. */
async function timeReplay(device: GPUDevice, d: Dispatch, reps: number): Promise<number> {
  for (const [buffer, bytes] of d.uniforms) device.queue.writeBuffer(buffer, 0, bytes);
  await device.queue.onSubmittedWorkDone();
  const t0 = performance.now();
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(d.pipeline);
  d.bindGroups.forEach((g, i) => pass.setBindGroup(i, g));
  for (let r = 0; r < reps; r++) pass.dispatchWorkgroups(...d.workgroups);
  pass.end();
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  return performance.now() - t0;
}

/**
 * Times one `step` (after the caller's warm-up), recording its dispatches, then replays each: per dispatch, the best
 * of `trials` of (time of 1 + reps copies − time of 1 copy) / reps, so the submission's fixed cost cancels.
 * The replays write into the step's buffers: the state the step leaves behind is garbage afterwards (dispose it).
 */
export async function profileStep(step: () => Promise<unknown>, device: GPUDevice, opts: { reps?: number; trials?: number } = {}): Promise<StepProfile> {
  const reps = opts.reps ?? 4;
  const trials = opts.trials ?? 3;
  const rec = installRecorder();
  let dispatches: Dispatch[];
  let stepMs: number;
  let t0: number;
  try {
    rec.start();
    t0 = performance.now();
    await step();
    stepMs = performance.now() - t0;
    dispatches = rec.stop();
  } finally {
    rec.restore();
  }
  const byKernel = new Map<string, KernelTime>();
  let gpuMs = 0;
  for (const d of dispatches) {
    let best = Infinity;
    for (let t = 0; t < trials; t++) {
      const one = await timeReplay(device, d, 1);
      const many = await timeReplay(device, d, 1 + reps);
      best = Math.min(best, Math.max(0, (many - one) / reps));
    }
    gpuMs += best;
    const kernel = rec.name(d.pipeline);
    const k = byKernel.get(kernel) ?? { kernel, dispatches: 0, ms: 0, grids: [] };
    k.dispatches++;
    k.ms += best;
    const grid = d.workgroups.join('x');
    if (!k.grids.includes(grid) && k.grids.length < 4) k.grids.push(grid);
    byKernel.set(kernel, k);
  }
  const kernels = [...byKernel.values()].sort((a, b) => b.ms - a.ms);
  const submits = rec.submits.length;
  return { stepMs, dispatches: dispatches.length, submits, lastSubmitMs: submits ? rec.submits[submits - 1] - t0 : 0, gpuMs, kernels };
}

/** The profile as text lines, heaviest kernel first. */
export function formatProfile(p: StepProfile): string[] {
  return [
    `step ${p.stepMs.toFixed(0)} ms wall, ${p.dispatches} dispatches in ${p.submits} submissions, the last ${p.lastSubmitMs.toFixed(0)} ms after the start; replayed alone they take ${p.gpuMs.toFixed(0)} ms (${((100 * p.gpuMs) / p.stepMs).toFixed(0)}% of the step)`,
    ...p.kernels.map((k) => `${k.ms.toFixed(1).padStart(7)} ms ${String(k.dispatches).padStart(4)}× ${((100 * k.ms) / p.gpuMs).toFixed(1).padStart(5)}%  ${k.kernel}  [${k.grids.join(' ')}]`),
  ];
}
