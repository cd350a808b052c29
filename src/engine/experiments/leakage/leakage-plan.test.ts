// The Leakage preset's plan: its cells (one run per method and seed), its data (members, non-members, canaries,
// controls), its epochs, its identity (the other presets keep their ids) and its URL round trip.
import { describe, expect, it } from 'vitest';
import { ExperimentSpecError } from '../../errors';
import { expandCells, experimentId } from '../cells';
import { cliffPreset, leakagePreset, presetSpec, reducedSpec, saturationPreset } from '../presets';
import { readQuery, specToQuery } from '../url-state';
import { checkExperimentSpec } from '../leaks';
import { cellHyperparameters } from '../cell-training';
import { validateSpec } from '../validate';
import { leakageData, leakageRows } from './data';

const SHA = 'd9417dfb'.padEnd(64, '0');

describe('Leakage preset plan', () => {
  it('is one run per method (LoRA r8, full FT) and seed, ≥ 3 seeds, seed-major', () => {
    const spec = leakagePreset();
    expect(spec.seeds).toBeGreaterThanOrEqual(3);
    const cells = expandCells(spec);
    expect(cells.map((c) => [c.settings.rank, c.seed])).toEqual([[8, 1], [0, 1], [8, 2], [0, 2], [8, 3], [0, 3]]);
    expect(new Set(cells.map((c) => c.key)).size).toBe(6);
    expect(validateSpec(spec)).toEqual([]);
    expect(() => checkExperimentSpec(spec)).not.toThrow();
    expect(presetSpec('leakage')).toEqual(spec);
  });

  it('measures at every epoch: the rows fill whole batches, an epoch is evalEvery steps, the run is whole epochs', () => {
    const spec = leakagePreset();
    const rows = leakageRows(spec.fixed, spec.leakage!);
    expect(rows).toBe(98 + 2 * (1 + 2 + 4 + 8 + 16));
    expect(rows % spec.fixed.batchSize).toBe(0);
    expect(rows / spec.fixed.batchSize).toBe(spec.evalEvery);
    expect(spec.fixed.steps % spec.evalEvery).toBe(0);
  });

  it('data: members and non-members are disjoint lines of one pool, canaries distinct per count, controls never inserted', () => {
    const spec = leakagePreset();
    const data = leakageData(spec.fixed, 2, spec.leakage!);
    expect(data.members).toHaveLength(98);
    expect(data.nonMembers).toHaveLength(98);
    const memberTexts = new Set(data.members.map((r) => r.text));
    expect(data.nonMembers.some((r) => memberTexts.has(r.text))).toBe(false);
    expect(data.canaries.map((c) => c.repetitions)).toEqual([1, 1, 2, 2, 4, 4, 8, 8, 16, 16]);
    expect(data.controls.map((c) => c.repetitions)).toEqual([0, 0, 0, 0]);
    const all = [...data.canaries, ...data.controls];
    expect(new Set(all.map((c) => c.text)).size).toBe(all.length);
    expect(all.every((c) => /^[a-z]+'s account pin is \d{4}$/.test(c.text) && c.candidates === 10_000)).toBe(true);
    // Every canary and control has its own prefix (its own name), so greedy decoding can extract each on its own.
    const prefixes = all.map((c) => c.text.slice(0, -4));
    expect(new Set(prefixes).size).toBe(all.length);
    expect(all.every((c) => c.template === `${c.text.split("'")[0]}'s account pin is {dddd}`)).toBe(true);
    // The names are shuffled per seed: no name stays tied to a repetition count.
    expect(leakageData(spec.fixed, 3, spec.leakage!).canaries.map((c) => c.template)).not.toEqual(data.canaries.map((c) => c.template));
    expect(data.records).toHaveLength(leakageRows(spec.fixed, spec.leakage!));
    for (const c of data.canaries) expect(data.records.filter((r) => r.text === c.text)).toHaveLength(c.repetitions);
    for (const c of data.controls) expect(data.records.some((r) => r.text === c.text)).toBe(false);
    // The same seed gives the same data (both methods of a seed train on it); another seed other secrets.
    expect(leakageData(spec.fixed, 2, spec.leakage!)).toEqual(data);
    expect(leakageData(spec.fixed, 3, spec.leakage!).canaries.map((c) => c.text)).not.toEqual(data.canaries.map((c) => c.text));
  });

  it('a template without {who} keeps one prefix for all; more canaries and controls than names are refused', () => {
    const spec = leakagePreset();
    const shared = leakageData(spec.fixed, 1, { ...spec.leakage!, template: 'my account pin is {dddd}' });
    expect(new Set([...shared.canaries, ...shared.controls].map((c) => c.template))).toEqual(new Set(['my account pin is {dddd}']));
    expect(() => leakageData(spec.fixed, 1, { ...spec.leakage!, controls: 20 })).toThrow(/asks for 30 canaries and controls, but only 24 subjects/);
  });

  it('refuses a training size the pool cannot split into members and as many non-members', () => {
    const spec = leakagePreset();
    expect(() => leakageData({ trainSize: 1500 }, 1, spec.leakage!)).toThrow(ExperimentSpecError);
    expect(() => checkExperimentSpec({ ...spec, fixed: { ...spec.fixed, trainSize: 1 } })).toThrow(/Training-set size 1/);
  });

  it('identity: the other presets keep the ids their stored cells were saved under; the canaries are part of a Leakage id', () => {
    // Measured with the items merge's code (eval version experiment-eval/3, tiny-world/2: new item spaces, so old cells
    // are deliberately not reused); the Leakage preset's fields must not move them. Update only with a deliberate bump.
    expect(experimentId(saturationPreset(), SHA)).toBe('exp-d9417dfb0000-3cbbfcad');
    expect(experimentId(cliffPreset(), SHA)).toBe('exp-d9417dfb0000-4964824d');
    const spec = leakagePreset();
    const id = experimentId(spec, SHA);
    expect(id).toMatch(/^exp-d9417dfb0000-[0-9a-f]{8}$/);
    expect(experimentId({ ...spec, seeds: 5 }, SHA)).toBe(id);
    expect(experimentId({ ...spec, leakage: { ...spec.leakage!, template: 'my pin is {ddddd}' } }, SHA)).not.toBe(id);
    expect(experimentId({ ...spec, leakage: { ...spec.leakage!, controls: 8 } }, SHA)).not.toBe(id);
    expect(experimentId({ ...spec, leakage: undefined }, SHA)).not.toBe(id);
    // The Leakage preset's cosine schedule is part of its cells' keys (and its runs' settings); other presets have none.
    expect(expandCells(spec)[0].key).toContain(' schedule=cosine seed=1');
    expect(expandCells(cliffPreset())[0].key).not.toContain('schedule');
    expect(cellHyperparameters(spec.fixed, 1).schedule).toBe('cosine');
    expect(cellHyperparameters(cliffPreset().fixed, 1).schedule).toBe('constant');
  });

  it('URL: the preset and an edited knob survive a round trip; the reduced copy runs on the seed base in a few steps', () => {
    const spec = leakagePreset();
    spec.fixed.steps = 60;
    const back = readQuery(specToQuery(spec));
    expect(back.notices).toEqual([]);
    expect(back.spec).toEqual(spec);
    const quick = reducedSpec(leakagePreset());
    expect(quick.base).toBe('seed:tiny');
    expect(expandCells(quick)).toHaveLength(2);
    expect(quick.leakage!.template).toBe('my pin is {dd}');
    expect(() => checkExperimentSpec(quick)).not.toThrow();
  });
});
