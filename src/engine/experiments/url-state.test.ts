// The URL round-trips an experiment spec; bad parameters fall back to the preset instead of breaking the page.
import { describe, expect, it } from 'vitest';
import { cliffPreset, reducedSpec, saturationPreset } from './presets';
import { specFromQuery, specToQuery } from './url-state';

describe('experiment URL state', () => {
  it('round-trips every preset and the reduced variants', () => {
    for (const spec of [saturationPreset(), cliffPreset(), reducedSpec(saturationPreset()), reducedSpec(cliffPreset())]) {
      expect(specFromQuery(new URLSearchParams(specToQuery(spec).toString()))).toEqual(spec);
    }
  });

  it('keeps edited knobs, two axes, and an empty extra-cell list', () => {
    const spec = { ...cliffPreset(), seeds: 3, axes: [{ knob: 'rank' as const, values: [4, 0] }, { knob: 'replay' as const, values: [0, 0.25] }], extraCells: [] };
    spec.fixed = { ...spec.fixed, addedKind: 'narrow', lr: 0.002 };
    expect(specFromQuery(specToQuery(spec))).toEqual(spec);
    // Saturation's preset has an extra cell: an emptied list must stay empty.
    const bare = { ...saturationPreset(), extraCells: [] };
    expect(specFromQuery(specToQuery(bare)).extraCells).toEqual([]);
  });

  it('falls back to the preset on bad values', () => {
    const spec = specFromQuery(new URLSearchParams('preset=cliff&seeds=-2&axis1=bogus:1,2&steps=abc&target=NOPE&adjacent=TICK,XYZ'));
    const preset = cliffPreset();
    expect(spec.seeds).toBe(preset.seeds);
    expect(spec.axes).toEqual(preset.axes);
    expect(spec.fixed.steps).toBe(preset.fixed.steps);
    expect(spec.target).toBe('ROUTE');
    expect(spec.adjacent).toEqual(['TICK']);
    expect(specFromQuery(new URLSearchParams('')).preset).toBe('saturation');
    expect(specFromQuery(new URLSearchParams('preset=cliff&evalEarly=2:x')).evalEarly).toEqual(preset.evalEarly);
    expect(specFromQuery(new URLSearchParams('preset=cliff&evalEarly=2:30')).evalEarly).toEqual({ every: 2, until: 30 });
  });
});
