// The Prompting preset by hand: nested pools (shots = the first k of the fine-tuning pool), shots never eval items,
// the crossover rule, token counting, the cost arithmetic, and the refusals before anything runs.
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../../../scripts/experiments/backend';
import { ExperimentSpecError } from '../../errors';
import { loadExperimentBase } from '../base';
import { runCell } from '../cell-runner';
import { seedBaseTokenizer } from '../base-sha';
import { cellExamples } from '../cell-data';
import { expandCells, experimentId } from '../cells';
import { presetSpec, promptingPreset, reducedSpec } from '../presets';
import { evalTexts, experimentSuite } from '../suite';
import type { CellEval, CellSettings, ExperimentSpec, StoredCell } from '../types';
import { readQuery, specToQuery } from '../url-state';
import { specProblems as validateSpec } from '../spec-check';
import { workOf } from '../work';
import { baseContext, largestFittingShots, longestItem, shotsOf } from './fit';
import { promptTokensOf, suiteWithShots } from './cell';
import { promptingReading } from './reading';
import { armPoints, breakEvenQueries, crossoverOf, versusBest, type ShotCost, type TrainCost } from './series';

const spec = promptingPreset();
const evalSet = evalTexts(experimentSuite(spec));

describe('the pool: shots and fine-tuning data of a seed are prefixes of one pool', () => {
  it('k shots are the first k of the N fine-tuning examples, and smaller k are prefixes of larger', () => {
    for (const seed of [1, 2, 3]) {
      const eight = shotsOf(seed, spec.target, 8, evalSet);
      const tuned = cellExamples({ ...spec.fixed, trainSize: 32 }, seed, spec.target, evalSet);
      expect(eight.map((e) => e.prompt)).toEqual(tuned.slice(0, 8).map((e) => e.prompt));
      expect(shotsOf(seed, spec.target, 2, evalSet)).toEqual(eight.slice(0, 2));
    }
    // Per seed: another seed draws other shots (the interval covers the choice of shots).
    expect(shotsOf(1, spec.target, 4, evalSet)).not.toEqual(shotsOf(2, spec.target, 4, evalSet));
  });

  it('no shot of any seed is an eval item, and a shot that is one is refused rather than dropping the item', () => {
    const evalPrompts = new Set(experimentSuite(spec).probes.flatMap((p) => (p.metric === 'perplexity' ? [] : p.items.map((i) => i.prompt))));
    for (const seed of [1, 2, 3]) for (const s of shotsOf(seed, spec.target, 8, evalSet)) expect(evalPrompts.has(s.prompt)).toBe(false);
    const suite = experimentSuite(spec);
    const probe = suite.probes[0];
    if (probe.metric !== 'exact_match') throw new Error('exact match expected');
    const leaked = { prompt: probe.items[3].prompt, completion: `${probe.items[3].target}\n` };
    expect(() => suiteWithShots(suite, spec.target, [leaked])).toThrow(/is an eval item/);
    // Honest shots keep every item (the pairing by item needs them all).
    const shot = suiteWithShots(suite, spec.target, shotsOf(1, spec.target, 2, evalSet)).probes[0];
    expect(shot.items.length).toBe(probe.items.length);
  });

  it('expands to 5 prompting cells (no training) and 4 fine-tuning cells per seed, not the 20-cell grid', () => {
    const cells = expandCells(spec);
    expect(cells.length).toBe(3 * 9);
    const seed1 = cells.filter((c) => c.seed === 1).map((c) => [c.settings.shots, c.settings.trainSize, c.settings.steps]);
    expect(seed1).toEqual([[0, 0, 0], [1, 0, 0], [2, 0, 0], [4, 0, 0], [8, 0, 0], [0, 8, 200], [0, 32, 200], [0, 128, 200], [0, 512, 200]]);
    expect(cells[1].key).toContain('shots=1');
    // Other presets' keys and ids do not change (no shots there).
    expect(expandCells(presetSpec('saturation'))[0].key).not.toContain('shots');
    expect(experimentId(spec, 'ab'.repeat(32))).not.toBe(experimentId({ ...spec, prompting: undefined }, 'ab'.repeat(32)));
  });

  it('counts its work: 12 fine-tuning runs × 200 steps, every run scored once', () => {
    expect(workOf(spec, 1)).toEqual({ runs: 27, steps: 12 * 200, batchSize: 8, evalPasses: 27, probes: 1, evalItems: 200 });
  });
});

describe('tokens and fit', () => {
  it('counts a prompt with its shots in the base tokenizer: one token per character, no BOS', () => {
    const suite = { name: 's', probes: [{ name: 'UP', metric: 'exact_match' as const, items: [{ prompt: 'UP abc=', target: 'ABC' }], stop: '\n' }] };
    const shot = suiteWithShots(suite, 'UP', [{ prompt: 'UP xy=', completion: 'XY\n' }]);
    // "UP xy=XY\n" (9) + "UP abc=" (7) = 16.
    expect(promptTokensOf(shot, 'UP', seedBaseTokenizer())).toEqual([16]);
    expect(promptTokensOf(suite, 'UP', seedBaseTokenizer())).toEqual([7]);
  });

  it('knows the shipped bases’ contexts by name', () => {
    expect(baseContext('tiny-world-ctx256-440k')).toBe(256);
    expect(baseContext('tiny-world-800k')).toBe(64);
    expect(baseContext('seed:tiny')).toBe(64);
    expect(baseContext('someone/else')).toBeNull();
  });

  it('the largest k that fits: k shots plus the longest item within the context, for every seed (checked by hand-summed lengths)', () => {
    const longest = longestItem(spec.target, spec.evalItems);
    for (const context of [64, 256]) {
      const k = largestFittingShots(spec.target, 3, spec.evalItems, context, evalSet, 64);
      for (const seed of [1, 2, 3]) {
        const chars = (n: number) => shotsOf(seed, spec.target, n, evalSet).reduce((s, e) => s + e.prompt.length + e.completion.length, 0);
        expect(chars(k) + longest).toBeLessThanOrEqual(context);
      }
      const over = (seed: number) => shotsOf(seed, spec.target, k + 1, evalSet).reduce((s, e) => s + e.prompt.length + e.completion.length, 0) + longest;
      expect([1, 2, 3].some((seed) => over(seed) > context)).toBe(true);
    }
  });
});

describe('refusals before anything runs', () => {
  const problems = (s: ExperimentSpec) => validateSpec(s);

  it('accepts the preset and its reduced copy', () => {
    expect(problems(spec)).toEqual([]);
    expect(problems(reducedSpec(spec))).toEqual([]);
  });

  it('refuses k that does not fit the base’s context, naming the largest k that fits', () => {
    const fits = largestFittingShots(spec.target, 3, spec.evalItems, 256, evalSet, 64);
    const p = problems({ ...spec, axes: [{ knob: 'shots', values: [0, 8, 40] }, spec.axes[1]] });
    expect(p).toHaveLength(1);
    expect(p[0].field).toBe('axis1');
    expect(p[0].message).toContain('k = 40 does not fit');
    expect(p[0].message).toContain(`The largest k that fits is ${fits}.`);
    // The 64-character seed base fits fewer: 8 shots are refused there.
    const small = problems({ ...spec, base: 'seed:tiny' });
    expect(small[0].message).toMatch(/k = (\d+, )*8 does not fit: seed:tiny reads 64 characters/);
  });

  it('refuses N beyond the distinct pool, N = 0, and empty or missing arms', () => {
    const factadd = problems({ ...spec, target: 'FACTADD', axes: [{ knob: 'shots', values: [0, 1] }, { knob: 'trainSize', values: [8, 1800] }] });
    expect(factadd.find((p) => p.field === 'axis2')?.message).toContain('N = 1800 is more than the 1727 distinct FACTADD examples');
    expect(problems({ ...spec, axes: [spec.axes[0], { knob: 'trainSize', values: [0, 8] }] })[0].message).toContain('N = 0 fine-tunes on nothing');
    expect(problems({ ...spec, axes: [spec.axes[0]] })[0]).toMatchObject({ field: 'axis2' });
    expect(problems({ ...spec, axes: [spec.axes[0], { knob: 'trainSize', values: [] }] })[0]).toMatchObject({ field: 'axis2', message: expect.stringContaining('Enter one or more values') });
  });

  it('keeps its arms in the link', () => {
    const back = readQuery(specToQuery({ ...spec, axes: [{ knob: 'shots', values: [0, 2] }, { knob: 'trainSize', values: [16, 64] }] }));
    expect(back.notices).toEqual([]);
    expect(back.spec.preset).toBe('prompting');
    expect(back.spec.axes).toEqual([{ knob: 'shots', values: [0, 2] }, { knob: 'trainSize', values: [16, 64] }]);
    // A k that does not fit is kept in the link (never dropped) and refused on its field.
    const tooMany = readQuery(specToQuery({ ...spec, axes: [{ knob: 'shots', values: [0, 40] }, spec.axes[1]] })).spec;
    expect(tooMany.axes[0].values).toEqual([0, 40]);
    expect(validateSpec(tooMany)[0].field).toBe('axis1');
  });
});

/** A stored cell with per-item exact match on the target. */
function cell(settings: Partial<CellSettings>, seed: number, items: number[], extra: Partial<StoredCell> = {}): StoredCell {
  const evalPoint: CellEval = { step: settings.steps ?? 0, scores: { UP: items.reduce((s, v) => s + v, 0) / items.length }, items: { UP: items } };
  return { cellKey: `${JSON.stringify(settings)} ${seed}`, experimentId: 'x', runId: `r-${seed}-${JSON.stringify(settings)}`, settings: { ...spec.fixed, ...settings }, seed, evals: [evalPoint], losses: [], trainExamples: 0, ms: 0, ...extra };
}

/** 20 items: the first `right` right. */
const first = (right: number) => Array.from({ length: 20 }, (_, i) => (i < right ? 1 : 0));

describe('the crossover rule (hand-made cells, 2 seeds × 20 items)', () => {
  const base = (seed: number) => [
    cell({ trainSize: 0, steps: 0, shots: 0 }, seed, first(6)),
    cell({ trainSize: 0, steps: 0, shots: 2 }, seed, first(10)), // the best prompting point: 0.50
    cell({ trainSize: 0, steps: 0, shots: 4 }, seed, first(10)), // ties k = 2: the smaller k is kept
  ];

  it('picks the best prompting point and names the smallest N whose paired interval lies above zero', () => {
    // N = 8: the same 10 items right (difference 0, not resolved); N = 32: 8 more (+0.40 on every seed); N = 128: 10 more.
    const cells = [1, 2].flatMap((seed) => [...base(seed), cell({ trainSize: 8, shots: 0 }, seed, first(10)), cell({ trainSize: 32, shots: 0 }, seed, first(18)), cell({ trainSize: 128, shots: 0 }, seed, first(20))]);
    const points = armPoints({ target: 'UP' }, cells);
    const versus = versusBest({ target: 'UP' }, points);
    expect(versus.map((v) => [v.n, v.k, Number(v.difference.mean.toFixed(2))])).toEqual([[8, 2, 0], [32, 2, 0.4], [128, 2, 0.5]]);
    const crossover = crossoverOf(versus);
    expect(crossover?.kind).toBe('crossed');
    if (crossover?.kind === 'crossed') expect(crossover.at.n).toBe(32);
    expect(promptingReading({ ...spec, target: 'UP' }, cells)).toContain('Crossover: N = 32 is the smallest fine-tuning size');
  });

  it('says prompting stays ahead when every N is below, and not resolved otherwise', () => {
    const behind = [1, 2].flatMap((seed) => [...base(seed), cell({ trainSize: 8, shots: 0 }, seed, first(0)), cell({ trainSize: 32, shots: 0 }, seed, first(2))]);
    expect(crossoverOf(versusBest({ target: 'UP' }, armPoints({ target: 'UP' }, behind)))?.kind).toBe('prompting-ahead');
    const even = [1, 2].flatMap((seed) => [...base(seed), cell({ trainSize: 8, shots: 0 }, seed, first(0)), cell({ trainSize: 32, shots: 0 }, seed, first(10))]);
    expect(crossoverOf(versusBest({ target: 'UP' }, armPoints({ target: 'UP' }, even)))?.kind).toBe('not-resolved');
  });
});

describe('the cost side', () => {
  it('break-even by hand: 200 steps × 8 examples × 12 tokens = 19,200 tokens, × 3 forward passes, over 40 extra prompt tokens = 1,440 queries', () => {
    const train: TrainCost = { n: 32, steps: 200, trainSeconds: 10, laptopSeconds: [0.9, 3.4], trainTokens: 200 * 8 * 12 };
    const zero: ShotCost = { k: 0, tokens: 10, evalMsPerQuery: 1 };
    const four: ShotCost = { k: 4, tokens: 50, evalMsPerQuery: 2 };
    expect(breakEvenQueries(train, four, zero)).toBe(1440);
    // k = 0 adds no tokens: no break-even.
    expect(breakEvenQueries(train, zero, zero)).toBeNull();
  });

  it('reads prompt tokens and training time from the cells', () => {
    const cells = [
      cell({ trainSize: 0, steps: 0, shots: 0 }, 1, first(10), { prompting: { shots: 0, promptTokens: [7, 9] } }),
      cell({ trainSize: 0, steps: 0, shots: 2 }, 1, first(12), { prompting: { shots: 2, promptTokens: [27, 29] } }),
      cell({ trainSize: 32, shots: 0, steps: 200, batchSize: 8 }, 1, first(20), { prompting: { shots: 0, promptTokens: [7, 9], trainTokensPerExample: 12 }, timing: { steps: 200, trainMs: 30_000, evalPoints: 1, evalMs: 100, otherMs: 0 } }),
    ];
    const text = promptingReading({ ...spec, target: 'UP' }, cells);
    expect(text).toContain('k = 0: 8.0, k = 2: 28.0');
    expect(text).toContain('N = 32: 200 steps, 30 s on this machine (laptop-GPU estimate 0.9–3.4 s)');
  });
});

describe('real cells on the untrained seed base (the reduced preset: k = 0, 1 and N = 8 for 4 steps)', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });
  const small = reducedSpec(spec);
  const suite = experimentSuite(small);
  const run = async (settings: CellSettings) => {
    const base = await loadExperimentBase(small.base, async () => null);
    const cell = { key: 'k', settings, seed: 1 };
    return runCell(base, cell, { experimentId: experimentId(small, base.weightsSha256), suite, target: small.target, evalEvery: small.evalEvery, prompting: small.prompting });
  };

  it('a prompting cell trains nothing, scores the same items once, and counts each prompt with its shots by hand', async () => {
    const cells = expandCells(small);
    expect(cells.map((c) => [c.settings.shots, c.settings.trainSize])).toEqual([[0, 0], [1, 0], [0, 8]]);
    const [zero, one, tuned] = await Promise.all(cells.map((c) => run(c.settings)));
    const probe = suite.probes[0];
    if (probe.metric !== 'exact_match') throw new Error('exact match expected');
    const shot = shotsOf(1, small.target, 1, evalTexts(suite))[0];
    for (const r of [zero, one]) {
      expect(r.losses).toEqual([]);
      expect(r.evals.map((e) => e.step)).toEqual([0]);
      expect(r.evals[0].items?.[small.target]).toHaveLength(probe.items.length);
    }
    // Character-level: a prompt's tokens are its characters; one shot adds its whole line.
    expect(zero.prompting?.promptTokens).toEqual(probe.items.map((i) => i.prompt.length));
    expect(one.prompting?.promptTokens).toEqual(probe.items.map((i) => shot.prompt.length + shot.completion.length + i.prompt.length));
    // The fine-tuned cell trains its 4 steps, is asked zero-shot, and records its training examples' tokens.
    expect(tuned.losses).toHaveLength(4);
    expect(tuned.prompting).toMatchObject({ shots: 0, promptTokens: zero.prompting!.promptTokens });
    expect(tuned.prompting!.trainTokensPerExample).toBeGreaterThan(0);
  }, 120_000);

  it('a cell whose shots overflow the context is refused, not cut from the left', async () => {
    const fits = largestFittingShots(small.target, 1, small.evalItems, 64, evalTexts(suite), 64);
    await expect(run({ ...small.fixed, trainSize: 0, steps: 0, shots: fits + 1 })).rejects.toThrow(ExperimentSpecError);
    await expect(run({ ...small.fixed, trainSize: 0, steps: 0, shots: fits })).resolves.toMatchObject({ prompting: { shots: fits } });
  }, 120_000);
});
