// The WGSL matmul tilings against their CPU reference: on Dawn in Node (SwiftShader) when a Vulkan ICD is present.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MATMUL_VARIANTS, matmulKernel, matmulReference } from './matmul-wgsl';

const swiftshaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
let gpuInstance: GPU | null = null;

describe('matmulReference', () => {
  it('multiplies a 2×3 by a 3×2 by hand', () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const b = Float32Array.from([7, 8, 9, 10, 11, 12]);
    expect(Array.from(matmulReference(a, b, 2, 2, 3))).toEqual([58, 64, 139, 154]);
  });
});

describe('matmulKernel', () => {
  it('declares tiles that divide its size constraints', () => {
    for (const v of MATMUL_VARIANTS) {
      const k = matmulKernel(v);
      expect(k.multipleOf.m % k.tileM).toBe(0);
      expect(k.multipleOf.n % k.tileN).toBe(0);
      expect(k.code).toContain('fn main');
    }
  });

  it.skipIf(!existsSync(process.env.VK_ICD_FILENAMES ?? swiftshaderIcd))('every tiling matches the CPU reference on WebGPU (Dawn)', async () => {
    process.env.VK_ICD_FILENAMES ??= swiftshaderIcd;
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    gpuInstance = create([]); // held for the whole file: Dawn crashes if the instance is collected before its devices
    const adapter = await gpuInstance.requestAdapter();
    if (!adapter) throw new Error(`Dawn found no adapter with VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}`);
    const device = await adapter.requestDevice();
    const { verifyVariant } = await import('../../../../diagnostics/bench/matmul-peak');
    try {
      for (const variant of MATMUL_VARIANTS) {
        expect(await verifyVariant(device, variant)).toBeLessThan(1e-5);
      }
    } finally {
      device.destroy();
    }
  });
});
