// The URL round-trips an experiment spec; a bad parameter keeps the preset's value and is reported, never dropped silently.
import { describe, expect, it } from 'vitest';
import { cliffPreset, cliffReplayPreset, cohortsPreset, judgeDriftPreset, reducedSpec, saturationPreset } from './presets';
import { readQuery, specFromQuery, specToQuery } from './url-state';

describe('experiment URL state', () => {
  it('round-trips every preset and the reduced variants', () => {
    for (const spec of [saturationPreset(), cliffPreset(), reducedSpec(saturationPreset()), reducedSpec(cliffPreset())]) {
      expect(readQuery(new URLSearchParams(specToQuery(spec).toString()))).toEqual({ spec, drafts: {}, notices: [] });
    }
  });

  it('round-trips the Cohorts and Cliff with replay presets; a link with bad cohort shares keeps its text in the field', () => {
    for (const spec of [cohortsPreset(), cliffReplayPreset(), reducedSpec(cohortsPreset()), reducedSpec(cliffReplayPreset())]) {
      expect(readQuery(new URLSearchParams(specToQuery(spec).toString()))).toEqual({ spec, drafts: {}, notices: [] });
    }
    const q = specToQuery(cohortsPreset());
    expect(q.get('cohorts')).toBe('us:0.95,caps:0.05');
    q.set('cohorts', 'us:0.9,caps:0.05');
    const read = readQuery(q);
    expect(read.spec.fixed.cohorts).toEqual({ us: 0.95, caps: 0.05 });
    expect(read.drafts).toEqual({ cohorts: 'us:0.9,caps:0.05' });
    expect(specToQuery(read.spec, read.drafts).get('cohorts')).toBe('us:0.9,caps:0.05');
    expect(readQuery(new URLSearchParams('preset=cliff&cohorts=us:1')).notices).toEqual(['The link\'s cohort shares “us:1” were left out: only the Cohorts preset has cohorts.']);
  });

  it('round-trips the Judge drift preset, its loop included', () => {
    const spec = judgeDriftPreset();
    expect(readQuery(new URLSearchParams(specToQuery(spec).toString()))).toEqual({ spec, drafts: {}, notices: [] });
    expect(specToQuery(spec).get('preset')).toBe('judge-drift');
  });

  it('keeps a saturation setup whose extra runs were removed', () => {
    const spec = { ...saturationPreset(), extraCells: [] };
    expect(specFromQuery(specToQuery(spec)).extraCells).toEqual([]);
  });

  it('keeps edited knobs, two axes, and an empty extra-cell list', () => {
    const spec = { ...cliffPreset(), seeds: 3, axes: [{ knob: 'rank' as const, values: [4, 0] }, { knob: 'replay' as const, values: [0, 0.25] }], extraCells: [] };
    spec.fixed = { ...spec.fixed, addedKind: 'narrow', lr: 0.002 };
    expect(specFromQuery(specToQuery(spec))).toEqual(spec);
    // Saturation's preset has an extra cell: an emptied list must stay empty.
    const bare = { ...saturationPreset(), extraCells: [] };
    expect(specFromQuery(specToQuery(bare)).extraCells).toEqual([]);
  });

  it('keeps the preset value on bad values, and reports each', () => {
    const { spec, drafts, notices } = readQuery(new URLSearchParams('preset=cliff&seeds=-2&axis1=bogus:1,2&steps=abc&target=NOPE&adjacent=TICK,XYZ'));
    const preset = cliffPreset();
    expect(spec.seeds).toBe(preset.seeds);
    expect(spec.axes).toEqual(preset.axes);
    expect(spec.fixed.steps).toBe(preset.fixed.steps);
    expect(spec.target).toBe('ROUTE');
    expect(spec.adjacent).toEqual(['TICK']);
    // Fields show the link's text with their message; parameters without a field become notices.
    expect(drafts).toEqual({ seeds: '-2', steps: 'abc' });
    expect(notices).toHaveLength(3);
    expect(notices.join(' ')).toMatch(/bogus.*NOPE.*XYZ/s);
    expect(specFromQuery(new URLSearchParams('')).preset).toBe('saturation');
    expect(specFromQuery(new URLSearchParams('preset=cliff&evalEarly=2:x')).evalEarly).toEqual(preset.evalEarly);
    expect(specFromQuery(new URLSearchParams('preset=cliff&evalEarly=2:30')).evalEarly).toEqual({ every: 2, until: 30 });
  });

  it('an axis list that does not parse stays in the link and in the field, on its own setting', () => {
    const spec = saturationPreset();
    const query = specToQuery(spec, { axis1: 'abc, -3', seeds: '0' });
    expect(query.get('axis1')).toBe('trainSize:abc, -3');
    expect(query.get('seeds')).toBe('0');
    const back = readQuery(new URLSearchParams(query.toString()));
    expect(back.drafts).toEqual({ axis1: 'abc, -3', seeds: '0' });
    expect(back.spec.axes).toEqual([{ knob: 'trainSize', values: [spec.fixed.trainSize] }]);
    expect(back.notices).toEqual([]);
  });
});
