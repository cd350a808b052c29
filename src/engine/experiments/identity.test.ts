// Experiment identity: the id and every stored cell carry the base weights' sha-256, their precision and the generator/eval versions.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATOR_VERSION } from '../world';
import { baseWeightsSha256, loadExperimentBase } from './base';
import { experimentId } from './cells';
import { cellTrainOptions } from './cell-training';
import { EXPERIMENT_BASE_PRECISION, EXPERIMENT_EVAL_VERSION, provenanceOf, sameProvenance } from './identity';
import { cliffPreset, saturationPreset } from './presets';

const SHIPPED = 'tiny-world-800k';
const read = async (id: string, file: string) => new Uint8Array(readFileSync(resolve('public/models', id, file)));

describe('experiment identity', () => {
  it('hashes the shipped weights file itself (sha-256 of model.safetensors)', async () => {
    const bytes = readFileSync(resolve('public/models', SHIPPED, 'model.safetensors'));
    const expected = createHash('sha256').update(bytes).digest('hex');
    expect(await baseWeightsSha256(SHIPPED, read)).toBe(expected);
    expect((await loadExperimentBase(SHIPPED, read)).weightsSha256).toBe(expected);
    // The seed base's recipe stands in for its weights, the same every time.
    expect(await baseWeightsSha256('seed:tiny', read)).toBe((await loadExperimentBase('seed:tiny', read)).weightsSha256);
  });

  it('other weights, another base or other settings of the eval give another id', () => {
    const spec = saturationPreset();
    const [a, b] = ['d9417dfb'.padEnd(64, '0'), '4a9376c5'.padEnd(64, '0')];
    expect(experimentId(spec, a)).not.toBe(experimentId(spec, b));
    expect(experimentId(spec, a)).toMatch(/^exp-d9417dfb0000-[0-9a-f]{8}$/);
    expect(experimentId({ ...spec, base: 'tiny-world-400k' }, a)).not.toBe(experimentId(spec, a));
    expect(experimentId({ ...spec, evalEvery: 5 }, a)).not.toBe(experimentId(spec, a));
    expect(experimentId(cliffPreset(), a)).not.toBe(experimentId(spec, a));
  });

  it('a stored cell is reused only with the same weights, precision, generator and eval versions', () => {
    const now = provenanceOf(SHIPPED, 'a'.repeat(64));
    expect(now).toEqual({ base: SHIPPED, weightsSha256: 'a'.repeat(64), precision: 'f32', generator: GENERATOR_VERSION, eval: EXPERIMENT_EVAL_VERSION });
    expect(sameProvenance({ ...now }, now)).toBe(true);
    expect(sameProvenance(undefined, now)).toBe(false);
    for (const stale of [{ weightsSha256: 'b'.repeat(64) }, { precision: 'f16' as const }, { generator: 'tiny-world/0' }, { eval: 'experiment-eval/1' }, { base: 'tiny-world-400k' }]) {
      expect(sameProvenance({ ...now, ...stale }, now)).toBe(false);
    }
  });

  it('cells train on the precision their identity names', () => {
    expect(cellTrainOptions(saturationPreset().fixed, 1, 64).baseWeights).toBe(EXPERIMENT_BASE_PRECISION);
  });
});
