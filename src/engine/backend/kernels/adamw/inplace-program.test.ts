// How a raw in-place pass folds its workgroups into x and y, and that tfjs still has the private members the pass records through.
import { describe, expect, it } from 'vitest';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../../tf';
import { dawnAvailable, useDawnWebGPU } from '../dawn-webgpu';
import { missingBackendInternals, rawDispatch } from './inplace-program';

const CHANGED = 'tfjs-backend-webgpu no longer has private members that src/engine/backend/kernels/adamw/inplace-program.ts (the in-place AdamW pass) records through; update BackendInternals there to the new tfjs';

describe('rawDispatch', () => {
  it('keeps small dispatches on x and folds large ones into y, covering every invocation', () => {
    expect(rawDispatch(1, 64, 65535)).toEqual([1, 1]);
    expect(rawDispatch(65, 64, 65535)).toEqual([2, 1]);
    // 70,000 workgroups of 64 (a 4.5M-element tensor) pass the 65,535 limit: two rows of 65,535.
    const [x, y] = rawDispatch(64 * 70_000, 64, 65_535);
    expect([x, y]).toEqual([65_535, 2]);
    expect(x * y * 64).toBeGreaterThanOrEqual(64 * 70_000);
  });
});

describe('tfjs WebGPUBackend internals used by the in-place pass', () => {
  it('has every private method', () => {
    expect(missingBackendInternals(WebGPUBackend.prototype, { fields: false }), CHANGED).toEqual([]);
  });

  it('reports a missing member by name', () => {
    expect(missingBackendInternals({ submitQueue: () => {} }, { fields: false })).toContain('uploadToGPU()');
  });

  it.skipIf(!dawnAvailable)('has every private field on a live backend (Dawn)', async () => {
    await useDawnWebGPU();
    expect(missingBackendInternals(tf.backend(), { fields: true }), CHANGED).toEqual([]);
  });
});
