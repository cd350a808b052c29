// One LoRA train step of the bench's tiny GPT on WebGPU (Dawn in Node): its GPU dispatches, counted by the bench's own
// counter, stay within issue 7's budget of 150; the per-kernel table is printed for the bench notes.
import { describe, expect, it } from 'vitest';
import { tf } from '../../engine/backend/tf';
import { dawnAvailable, useDawnWebGPU } from '../../engine/backend/kernels/dawn-webgpu';
import { dispatchCount, installDispatchCounter } from './dispatch-counter';
import { createEngineSide } from './engine-bench';
import { TINY_GPT } from './shapes';

/** Counts dispatches per pipeline, named by tfjs's shader key (its program class for tfjs's own) or our raw pass's label. */
function pipelineCounter(): () => Map<string, number> {
  const perPipeline = new Map<GPUComputePipeline, number>();
  const names = new WeakMap<GPUComputePipeline, string>();
  type Program = { shaderKey?: string; pipeline?: GPUComputePipeline; constructor: { name: string } };
  const backend = tf.backend() as unknown as { runWebGPUProgram: (program: Program, ...rest: unknown[]) => unknown };
  const run = backend.runWebGPUProgram.bind(backend);
  backend.runWebGPUProgram = (program, ...rest) => {
    const out = run(program, ...rest);
    const ours = program.shaderKey?.startsWith('tunelab');
    if (program.pipeline) names.set(program.pipeline, ours ? program.shaderKey!.split(/[_]/).slice(0, 4).join('_').slice(0, 48) : program.constructor.name);
    return out;
  };
  const proto = (globalThis as unknown as { GPUComputePassEncoder: { prototype: GPUComputePassEncoder } }).GPUComputePassEncoder.prototype;
  const setPipeline = proto.setPipeline;
  proto.setPipeline = function (this: GPUComputePassEncoder, pipeline: GPUComputePipeline) {
    perPipeline.set(pipeline, (perPipeline.get(pipeline) ?? 0) + 1);
    return setPipeline.call(this, pipeline);
  };
  return () => {
    const counts = new Map<string, number>();
    for (const [pipeline, n] of perPipeline) {
      const name = names.get(pipeline) ?? pipeline.label;
      counts.set(name, (counts.get(name) ?? 0) + n);
    }
    return counts;
  };
}

describe.skipIf(!dawnAvailable)('dispatches per train step (tiny GPT, LoRA on every linear layer)', () => {
  it('are at most 150, counted as the bench counts them', { timeout: 300_000 }, async () => {
    await useDawnWebGPU();
    installDispatchCounter();
    const side = await createEngineSide(TINY_GPT);
    try {
      await side.step(); // compiles; the steps after it are what the bench times
      const countsOf = pipelineCounter();
      const before = dispatchCount();
      await side.step();
      const dispatches = dispatchCount() - before;
      const counts = countsOf();
      const table = [...counts].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${String(n).padStart(4)} ${name}`);
      console.log(`${dispatches} dispatches in one step (device: ${tf.env().platformName}, storage bindings per stage ${(tf.backend() as unknown as { device: GPUDevice }).device.limits.maxStorageBuffersPerShaderStage}):\n${table.join('\n')}`);
      expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(dispatches);
      expect(dispatches).toBeLessThanOrEqual(150);
    } finally {
      side.dispose();
    }
  });
});
