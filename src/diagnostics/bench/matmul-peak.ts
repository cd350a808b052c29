// matmulPeakGflops: the best FLOP/s our tiled WGSL matmuls reach on this device, each checked against a CPU reference first.
import { MATMUL_VARIANTS, matmulKernel, matmulReference, type MatmulVariant } from '../../engine/backend/kernels/lora-linear/matmul-wgsl';
import { matmulFlops } from './flops';
import { pseudoRandom } from '../../engine/backend/kernels/check-harness';

export interface MatmulMeasurement {
  variant: MatmulVariant;
  size: number;
  gflops: number;
  reps: number;
  seconds: number;
}

export interface MatmulPeak {
  peakGflops: number | null;
  best: MatmulMeasurement | null;
  measurements: MatmulMeasurement[];
  /** Max |gpu − cpu| / max |cpu| per variant on the verification size. */
  verification: Record<string, number>;
  skipped: string[];
}

export interface PeakOptions {
  sizes?: number[];
  /** Seconds of timed work per (variant, size), split over three trials; at least one rep per trial. */
  secondsPerCase?: number;
  /** Once one timed run of a size exceeds this many seconds, the larger sizes of that variant are skipped. */
  maxSingleRunSeconds?: number;
  log?: (line: string) => void;
}

const VERIFY_SIZE = { m: 128, n: 128, k: 96 };
const TOLERANCE = 1e-5;

class MatmulRunner {
  private buffers: GPUBuffer[] = [];
  private constructor(
    private device: GPUDevice,
    private pipeline: GPUComputePipeline,
    private bindGroup: GPUBindGroup,
    private out: GPUBuffer,
    private workgroups: [number, number],
  ) {}

  static async create(device: GPUDevice, variant: MatmulVariant, m: number, n: number, k: number, a: Float32Array, b: Float32Array): Promise<MatmulRunner> {
    const kernel = matmulKernel(variant);
    const { multipleOf } = kernel;
    if (m % multipleOf.m || n % multipleOf.n || k % multipleOf.k) throw new Error(`${variant} needs M, N, K multiples of ${multipleOf.m}, ${multipleOf.n}, ${multipleOf.k}`);
    const storage = (data: Float32Array) => {
      const buf = device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(buf, 0, data);
      return buf;
    };
    const bufA = storage(a);
    const bufB = storage(b);
    const out = device.createBuffer({ size: m * n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const dims = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(dims, 0, new Uint32Array([m, n, k, 0]));
    const module = device.createShaderModule({ code: kernel.code });
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [bufA, bufB, out, dims].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const runner = new MatmulRunner(device, pipeline, bindGroup, out, [n / kernel.tileN, m / kernel.tileM]);
    runner.buffers = [bufA, bufB, out, dims];
    return runner;
  }

  /** Runs `reps` matmuls in one submission and waits for the GPU; returns wall seconds. */
  async run(reps: number): Promise<number> {
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    for (let i = 0; i < reps; i++) pass.dispatchWorkgroups(this.workgroups[0], this.workgroups[1], 1);
    pass.end();
    const t0 = performance.now();
    this.device.queue.submit([encoder.finish()]);
    await this.device.queue.onSubmittedWorkDone();
    return (performance.now() - t0) / 1000;
  }

  async readOutput(): Promise<Float32Array> {
    const staging = this.device.createBuffer({ size: this.out.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.out, 0, staging, 0, this.out.size);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const result = new Float32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    return result;
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}

/** Relative error of one variant on a small random problem; throws nothing, the caller decides. */
export async function verifyVariant(device: GPUDevice, variant: MatmulVariant): Promise<number> {
  const { m, n, k } = VERIFY_SIZE;
  const a = pseudoRandom(m * k, 1);
  const b = pseudoRandom(k * n, 2);
  const runner = await MatmulRunner.create(device, variant, m, n, k, a, b);
  try {
    await runner.run(1);
    const gpu = await runner.readOutput();
    const cpu = matmulReference(a, b, m, n, k);
    let maxErr = 0;
    let maxRef = 0;
    for (let i = 0; i < cpu.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(gpu[i] - cpu[i]));
      maxRef = Math.max(maxRef, Math.abs(cpu[i]));
    }
    return maxErr / maxRef;
  } finally {
    runner.destroy();
  }
}

/**
 * Verifies every variant, then times each on square sizes (pipeline compile and one warm-up run excluded, GPU
 * completion awaited) and returns the best. A variant that fails verification is not timed.
 */
export async function measureMatmulPeak(device: GPUDevice, opts: PeakOptions = {}): Promise<MatmulPeak> {
  const sizes = opts.sizes ?? [256, 512, 768, 1024];
  const secondsPerCase = opts.secondsPerCase ?? 2.4;
  const maxSingle = opts.maxSingleRunSeconds ?? 1.5;
  const log = opts.log ?? (() => {});
  const result: MatmulPeak = { peakGflops: null, best: null, measurements: [], verification: {}, skipped: [] };
  for (const variant of MATMUL_VARIANTS) {
    const err = await verifyVariant(device, variant);
    result.verification[variant] = err;
    if (!(err <= TOLERANCE)) {
      result.skipped.push(`${variant}: wrong result (relative error ${err.toExponential(2)}), not timed`);
      log(`matmul ${variant}: FAILED verification (relative error ${err.toExponential(2)})`);
      continue;
    }
    log(`matmul ${variant}: verified against CPU reference (relative error ${err.toExponential(2)})`);
    for (const size of sizes) {
      const a = pseudoRandom(size * size, 3);
      const b = pseudoRandom(size * size, 4);
      const runner = await MatmulRunner.create(device, variant, size, size, size, a, b);
      try {
        const warm = await runner.run(1);
        // Best of three trials: on a shared machine the peak is what the adapter reaches when it gets the CPU.
        const reps = Math.max(1, Math.min(64, Math.round(secondsPerCase / 3 / Math.max(warm, 1e-4))));
        let seconds = Infinity;
        for (let trial = 0; trial < 3; trial++) seconds = Math.min(seconds, await runner.run(reps));
        const gflops = (matmulFlops(size, size, size) * reps) / seconds / 1e9;
        const m: MatmulMeasurement = { variant, size, gflops, reps, seconds };
        result.measurements.push(m);
        log(`matmul ${variant} ${size}³: ${gflops.toFixed(2)} GFLOP/s (best of 3 trials of ${reps} reps: ${seconds.toFixed(2)} s)`);
        if (!result.best || gflops > result.best.gflops) result.best = m;
        // Judged on the timed runs: the warm-up run may include the driver's lazy shader compile.
        const perRun = seconds / reps;
        if (perRun > maxSingle) {
          const rest = sizes.filter((s) => s > size);
          if (rest.length) result.skipped.push(`${variant}: sizes ${rest.join(', ')} skipped (one ${size}³ run took ${perRun.toFixed(1)} s)`);
          break;
        }
      } finally {
        runner.destroy();
      }
    }
  }
  result.peakGflops = result.best?.gflops ?? null;
  return result;
}
