// Sweep expansion and nested subsets: a larger training set of one seed contains the smaller one.
import { describe, expect, it } from 'vitest';
import { isCorrect } from '../world';
import { cellExamples } from './cell-data';
import { isEvalStep } from './cell-runner';
import { expandCells, experimentId } from './cells';
import { cliffPreset, saturationPreset } from './presets';
import { evalTexts, experimentSuite } from './suite';
import type { CellSettings } from './types';

const base: CellSettings = saturationPreset().fixed;
/** The saturation preset's eval items (ROUTE, split: never in its training halves). */
const NO_EVAL = evalTexts(experimentSuite(saturationPreset()));

describe('expandCells', () => {
  it('crosses the axes with the seeds and adds the extra cells once', () => {
    const spec = saturationPreset();
    const cells = expandCells(spec);
    expect(cells).toHaveLength((5 + 2) * 5);
    expect(new Set(cells.map((c) => c.key)).size).toBe(cells.length);
    expect(cells.filter((c) => c.settings.addedSize === 400).map((c) => [c.seed, c.settings.addedKind])).toEqual([1, 2, 3, 4, 5].flatMap((s) => [[s, 'noisy'], [s, 'narrow']]));
    const two = expandCells({ ...cliffPreset(), seeds: 1, axes: [{ knob: 'rank', values: [4, 0] }, { knob: 'replay', values: [0, 0.2] }] });
    expect(two.map((c) => [c.settings.rank, c.settings.replay])).toEqual([[4, 0], [4, 0.2], [0, 0], [0, 0.2]]);
  });

  it('gives sweeps that share base weights and eval set the same experiment id', () => {
    const sha = 'a'.repeat(64);
    expect(experimentId({ ...saturationPreset(), seeds: 8 }, sha)).toBe(experimentId(saturationPreset(), sha));
    expect(experimentId({ ...saturationPreset(), evalItems: 10 }, sha)).not.toBe(experimentId(saturationPreset(), sha));
  });
});

describe('cellExamples', () => {
  it('nests: the larger set of a seed starts with the smaller one, noisy labels included', () => {
    const small = cellExamples({ ...base, trainSize: 50, labelNoise: 0.2 }, 1, 'ROUTE', NO_EVAL);
    const large = cellExamples({ ...base, trainSize: 200, labelNoise: 0.2 }, 1, 'ROUTE', NO_EVAL);
    expect(large.slice(0, 50)).toEqual(small);
    expect(cellExamples({ ...base, trainSize: 50 }, 2, 'ROUTE', NO_EVAL)).not.toEqual(cellExamples({ ...base, trainSize: 50 }, 1, 'ROUTE', NO_EVAL));
    const wrong = large.filter((e) => !isCorrect(e)).length;
    expect(wrong).toBeGreaterThan(20);
    expect(wrong).toBeLessThan(60);
  });

  it('appends the added pool after the clean prefix: noisy has wrong labels, narrow only two labels', () => {
    const clean = cellExamples({ ...base, trainSize: 100 }, 1, 'ROUTE', NO_EVAL);
    expect(clean.every(isCorrect)).toBe(true);
    const noisy = cellExamples({ ...base, trainSize: 100, addedSize: 100, addedNoise: 0.5 }, 1, 'ROUTE', NO_EVAL);
    expect(noisy.slice(0, 100)).toEqual(clean);
    expect(noisy.slice(100).filter((e) => !isCorrect(e)).length).toBeGreaterThan(30);
    const narrow = cellExamples({ ...base, trainSize: 100, addedSize: 100, addedKind: 'narrow' }, 1, 'ROUTE', NO_EVAL);
    expect(new Set(narrow.slice(100).map((e) => e.completion)).size).toBe(2);
    expect(narrow.slice(100).every(isCorrect)).toBe(true);
  });

  it('mixes in the replay share from the pretraining skills', () => {
    const mixed = cellExamples({ ...base, trainSize: 150, replay: 0.25 }, 1, 'ROUTE', NO_EVAL);
    expect(mixed).toHaveLength(200);
    expect(mixed.slice(150).every((e) => e.skill !== 'ROUTE')).toBe(true);
  });
});

describe('eval steps', () => {
  it('the cliff preset evaluates every 5 steps over the first 50, then every 25, and always at the end', () => {
    const spec = cliffPreset();
    const steps = Array.from({ length: spec.fixed.steps }, (_, i) => i + 1).filter((s) => isEvalStep(s, spec.fixed.steps, spec.evalEvery, spec.evalEarly));
    expect(steps).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 75, 100, 125, 150, 175, 200]);
    expect([1, 2, 3, 4, 5, 6, 7].filter((s) => isEvalStep(s, 7, 0))).toEqual([7]);
    expect(experimentId({ ...spec, evalEarly: { every: 0, until: 0 } }, 'a'.repeat(64))).not.toBe(experimentId(spec, 'a'.repeat(64)));
  });
});
