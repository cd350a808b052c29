// The Capability ceiling preset against hand-computed cases: the entity split and that no held-out fact trains, the
// question wrapper, chance, one identity per base, bad input refused, the reading's rule, and one real reduced sweep.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { initNodeBackend } from '../../../../scripts/experiments/backend';
import { generateWorldDataset, PRETRAIN_MIX } from '../../world';
import { WORLD_ENTITIES, type WorldEntity } from '../../world/entities';
import { loadExperimentBase } from '../base';
import { ceilingExperimentId, expandCells, experimentId } from '../cells';
import { runCell } from '../cell-runner';
import { provenanceOf, sameProvenance } from '../identity';
import { presetSpec, reducedSpec } from '../presets';
import type { CellEval, StoredCell } from '../types';
import { readQuery, specToQuery } from '../url-state';
import { validateSpec } from '../validate';
import { assertCeilingContext, basesProblem, ceilingContextNeeded } from './bases';
import { ceilingReading, ceilingStageReading } from './reading';
import { ceilingPoints } from './series';
import { checkExperimentSpec } from '../leaks';
import { ceilingExamples, ceilingSuite, checkCeilingData, chanceOf, COMPONENT_PROBE, entitySplit, questionOf, TARGET_PROBE, TRAIN_PROBE } from './spec';

const nameIn = (text: string) => WORLD_ENTITIES.find((e) => text.includes(` ${e.name} `) || text.includes(` ${e.name}'`))?.name;

describe('the entity split and the data', () => {
  it('splits the 20 entities into 12 trained and 8 held out, disjoint, the same for a seed and different across seeds', () => {
    const a = entitySplit(1, 12);
    expect(a.train).toHaveLength(12);
    expect(a.heldOut).toHaveLength(8);
    const names = [...a.train, ...a.heldOut].map((e) => e.name);
    expect(new Set(names).size).toBe(20);
    expect(entitySplit(1, 12).heldOut.map((e) => e.name)).toEqual(a.heldOut.map((e) => e.name));
    expect(entitySplit(2, 12).heldOut.map((e) => e.name)).not.toEqual(a.heldOut.map((e) => e.name));
  });

  it('trains on every fact of the trained entities (36 rows) and on no fact of a held-out entity, for every seed', () => {
    for (const seed of [1, 2, 3]) {
      const { heldOut, train } = entitySplit(seed, 12);
      const rows = ceilingExamples(seed, 12);
      expect(rows).toHaveLength(36);
      const trained = new Set(rows.map((r) => nameIn(r.prompt)));
      expect([...trained].sort()).toEqual(train.map((e) => e.name).sort());
      for (const e of heldOut) expect(trained.has(e.name)).toBe(false);
      // The scored items: the held-out facts (3 each) in both phrasings, item i the same fact; none is a training prompt.
      const suite = ceilingSuite(seed, 12);
      const [component, target, trainProbe] = suite.probes.map((p) => p.items as { prompt: string; target: string }[]);
      expect(component.map((i) => i.target)).toEqual(target.map((i) => i.target));
      expect(component.map((i) => nameIn(i.prompt))).toEqual(target.map((i) => nameIn(i.prompt)));
      expect(target).toHaveLength(24);
      expect(trainProbe).toHaveLength(36);
      const prompts = new Set(rows.map((r) => r.prompt));
      for (const item of [...component, ...target]) expect(prompts.has(item.prompt)).toBe(false);
      expect(() => checkCeilingData(seed, 12)).not.toThrow();
    }
    // The job's check (leaks.ts) runs it for every cell of the preset.
    expect(() => checkExperimentSpec(presetSpec('ceiling'))).not.toThrow();
  });

  it('asks a fact in a phrasing no pretraining line has, with the answer FACT gives', () => {
    expect(questionOf('bavo', 'color')).toBe("what is bavo's color? ");
    // tulol is 18 (entities.ts's seeded world); with 19 of 20 trained, one of seeds 1 and 2 trains on it.
    expect(WORLD_ENTITIES[0]).toEqual({ name: 'tulol', color: 'olive', city: 'varno', age: 18 });
    const row = [1, 2].flatMap((seed) => ceilingExamples(seed, 19)).find((r) => r.prompt === "what is tulol's age? ");
    expect(row?.completion).toBe('18\n');
    const lines = generateWorldDataset({ mix: PRETRAIN_MIX, size: 20000, split: 'train', seed: 1, sampling: 'independent' }).examples.map((e) => e.prompt + e.completion);
    expect(lines.filter((l) => l.includes('what is') || l.includes("'s "))).toEqual([]);
  });

  it('chance is the trained entities\' most frequent value per attribute, ties shared (worked by hand)', () => {
    const e = (name: string, color: string, city: string, age: number): WorldEntity => ({ name, color, city, age });
    const train = [e('a', 'teal', 'varno', 20), e('b', 'teal', 'quell', 30), e('c', 'amber', 'quell', 20)];
    // color mode teal: 1 of 2 held out; city mode quell: 1 of 2; age mode 20: 1 of 2 → 3/6.
    expect(chanceOf(train, [e('x', 'teal', 'quell', 40), e('y', 'amber', 'kast', 20)])).toBeCloseTo(0.5, 12);
    // A tie: ages 20 and 30 once each → each hit counts 1/2. colors: teal,amber tie → x teal 1/2; cities: varno,quell → 1/2.
    const tied = [e('a', 'teal', 'varno', 20), e('b', 'amber', 'quell', 30)];
    expect(chanceOf(tied, [e('x', 'teal', 'quell', 30)])).toBeCloseTo((0.5 + 0.5 + 0.5) / 3, 12);
  });
});

describe('one identity per base', () => {
  const spec = presetSpec('ceiling');
  it('every cell names its base: 4 bases × 3 seeds, 12 distinct cells, keyed by base', () => {
    const cells = expandCells(spec);
    expect(cells).toHaveLength(12);
    expect(new Set(cells.map((c) => c.key)).size).toBe(12);
    expect(cells.slice(0, 4).map((c) => c.settings.base)).toEqual(spec.ceiling!.bases);
    expect(cells[0].key).toContain('base=tiny-world-ctx256-70k-nofact seed=1');
  });

  it('the sweep id holds no single base\'s weights; each cell\'s provenance holds its own, and another base\'s weights never match', () => {
    expect(experimentId(spec, 'a'.repeat(64))).toBe(ceilingExperimentId(spec));
    expect(experimentId(spec, 'b'.repeat(64))).toBe(ceilingExperimentId(spec));
    expect(ceilingExperimentId({ ...spec, ceiling: { ...spec.ceiling!, trainEntities: 10 } })).not.toBe(ceilingExperimentId(spec));
    const p70 = provenanceOf('tiny-world-ctx256-70k', '130d4b83'.padEnd(64, '0'));
    expect(sameProvenance(p70, provenanceOf('tiny-world-ctx256-70k-nofact', '39436143'.padEnd(64, '0')))).toBe(false);
    expect(sameProvenance(p70, provenanceOf('tiny-world-ctx256-70k', '130d4b84'.padEnd(64, '0')))).toBe(false);
  });

  it('the shipped bases\' weights are the ones docs/results.md names', () => {
    const models = resolve('public/models');
    for (const id of spec.ceiling!.bases) expect(existsSync(resolve(models, id, 'model.safetensors'))).toBe(true);
    expect(readFileSync(resolve(models, 'tiny-world-ctx256-70k-nofact', 'config.json'), 'utf8')).toContain('"n_positions": 256');
  });
});

describe('bad input is refused before anything runs', () => {
  const spec = presetSpec('ceiling');
  it('an empty base list, a base not installed, a base named twice, a split leaving no held-out entity', () => {
    expect(basesProblem([])).toMatch(/Name at least one base/);
    expect(basesProblem(['tiny-world-9m'])).toMatch(/“tiny-world-9m” is not installed in this build: pick from tiny-world-800k/);
    expect(basesProblem(['tiny-world-800k', 'tiny-world-800k'])).toMatch(/listed twice/);
    expect(basesProblem(spec.ceiling!.bases)).toBeNull();
    const fields = (s: typeof spec) => validateSpec(s).map((p) => `${p.field}: ${p.message}`);
    expect(fields({ ...spec, ceiling: { ...spec.ceiling!, trainEntities: 20 } })).toEqual(['trainEntities: 20 is above 19: enter a whole number from 1 to 19, such as 12.']);
    expect(fields({ ...spec, ceiling: { ...spec.ceiling!, bases: [] } })[0]).toMatch(/^bases: Name at least one base/);
    expect(fields(spec)).toEqual([]);
  });

  it('a base whose context is shorter than the longest line is refused, naming both numbers', () => {
    // The longest line: "what is zhoxer's color? crimson\n"-like: every prompt and answer worked out by the code under test, bounded by hand.
    const needed = ceilingContextNeeded();
    expect(needed).toBeGreaterThan("what is ab's city? ".length + 'ab'.length);
    expect(needed).toBeLessThan(64);
    expect(() => assertCeilingContext('short', needed - 1)).toThrow(`The base “short” reads ${needed - 1} tokens at most; the Capability ceiling's longest line needs ${needed}.`);
    expect(() => assertCeilingContext('ok', needed)).not.toThrow();
  });

  it('keeps its bases and split in the link; a bad list stays in its field', () => {
    const spec2 = { ...spec, ceiling: { bases: ['tiny-world-ctx256-70k', 'tiny-world-ctx256-840k'], trainEntities: 10 } };
    expect(readQuery(specToQuery(spec2)).spec.ceiling).toEqual(spec2.ceiling);
    const q = specToQuery(spec);
    q.set('bases', 'nope');
    const back = readQuery(q);
    expect(back.drafts.bases).toBe('nope');
    expect(back.spec.ceiling!.bases).toEqual(spec.ceiling!.bases);
    const other = specToQuery(presetSpec('cliff'));
    other.set('bases', 'a');
    expect(readQuery(other).notices[0]).toMatch(/only the Capability ceiling preset compares bases/);
  });
});

/** A stored cell of one base and seed: 4 held-out facts, 4 trained, given as item lists at step 0 and at the end. */
function cell(base: string, seed: number, before: { fact: number[]; q: number[] }, after: { fact: number[]; q: number[]; train: number[] }): StoredCell {
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const point = (step: number, fact: number[], q: number[], train: number[]): CellEval => ({
    step,
    scores: { [COMPONENT_PROBE]: mean(fact), [TARGET_PROBE]: mean(q), [TRAIN_PROBE]: mean(train) },
    items: { [COMPONENT_PROBE]: fact, [TARGET_PROBE]: q, [TRAIN_PROBE]: train },
  });
  const spec = presetSpec('ceiling');
  return {
    cellKey: `${base} ${seed}`, experimentId: 'x', runId: `${base}-${seed}`, seed, settings: { ...spec.fixed, base }, losses: [], trainExamples: 36, ms: 1,
    evals: [point(0, before.fact, before.q, [0, 0, 0, 0]), point(150, after.fact, after.q, after.train)],
  };
}

describe('the reading states only what its intervals resolve', () => {
  const spec = { ...presetSpec('ceiling'), ceiling: { bases: ['tiny-world-ctx256-70k-nofact', 'tiny-world-ctx256-840k'], trainEntities: 12 } };
  const zeros = [0, 0, 0, 0];
  const ones = [1, 1, 1, 1];
  it('a base that knew every fact and answers every question, against one that knew none and answers none: resolved, one sentence each', () => {
    const cells = [1, 2, 3].flatMap((seed) => [
      cell('tiny-world-ctx256-70k-nofact', seed, { fact: zeros, q: zeros }, { fact: zeros, q: zeros, train: ones }),
      cell('tiny-world-ctx256-840k', seed, { fact: ones, q: zeros }, { fact: ones, q: ones, train: ones }),
    ]);
    const points = ceilingPoints(spec, cells);
    expect(points.map((p) => [p.base, p.parameters, p.component.mean, p.after.mean, p.gain.mean])).toEqual([
      ['tiny-world-ctx256-70k-nofact', 71_616, 0, 0, 0],
      ['tiny-world-ctx256-840k', 836_352, 1, 1, 1],
    ]);
    const text = ceilingReading(spec, cells);
    expect(text).toContain('tiny-world-ctx256-70k-nofact (72k parameters): FACT before fine-tuning 0.00 [0.00, 0.00]; the question on held-out entities 0.00 [0.00, 0.00] → 0.00 [0.00, 0.00] after 150 steps, no resolved change');
    expect(text).toContain('tiny-world-ctx256-840k (836k parameters): FACT before fine-tuning 1.00 [1.00, 1.00]; the question on held-out entities 0.00 [0.00, 0.00] → 1.00 [1.00, 1.00] after 150 steps, up +1.00 [+1.00, +1.00]');
    expect(text).toContain('tiny-world-ctx256-840k (FACT 1.00) against tiny-world-ctx256-70k-nofact (FACT 0.00): higher by +1.00 [+1.00, +1.00]');
    expect(text).toContain('the format was learnt (trained entities 1.00');
    expect(ceilingStageReading(spec, cells)).toContain('the base with the most pretrained facts ends +1.00 [+1.00, +1.00] above the one with the fewest');
  });

  it('half the items right on both bases, in a different order: the difference is not resolved, the format not learnt is said', () => {
    const cells = [1, 2, 3].flatMap((seed) => [
      cell('tiny-world-ctx256-70k-nofact', seed, { fact: zeros, q: zeros }, { fact: zeros, q: [1, 1, 0, 0], train: [1, 0, 0, 0] }),
      cell('tiny-world-ctx256-840k', seed, { fact: ones, q: zeros }, { fact: ones, q: [0, 0, 1, 1], train: ones }),
    ]);
    const text = ceilingReading(spec, cells);
    expect(text).toMatch(/against tiny-world-ctx256-70k-nofact \(FACT 0.00\): not resolved \(0.00 \[-0.50, \+0.50\]\)/);
    expect(text).toContain('the format and the trained answers were NOT learnt (trained entities 0.25');
  });
});

// About 6 s of wasm training: run with TUNELAB_SLOW_CHECKS=1 (the e2e flow runs the same reduced sweep in Chromium).
describe.skipIf(!process.env.TUNELAB_SLOW_CHECKS)('a reduced sweep, for real', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });
  it('trains each base of its own, scores the component and the target at step 0 and the end, and records each base\'s weights', async () => {
    // The reduced sweep (4 steps of 4) on an untrained seed model beside the smallest real base, whose FACT is measured.
    const reduced = reducedSpec(presetSpec('ceiling'));
    const spec = { ...reduced, ceiling: { ...reduced.ceiling!, bases: ['seed:tiny', 'tiny-world-ctx256-70k'] } };
    const models = resolve('public/models');
    const read = async (id: string, file: string) => (existsSync(resolve(models, id, file)) ? new Uint8Array(readFileSync(resolve(models, id, file))) : null);
    const cells = expandCells(spec);
    expect(cells.map((c) => c.settings.base)).toEqual(['seed:tiny', 'tiny-world-ctx256-70k']);
    const results = [];
    for (const c of cells) {
      const base = await loadExperimentBase(c.settings.base!, read);
      results.push(await runCell(base, c, { experimentId: experimentId(spec, base.weightsSha256), suite: { name: 'unused', probes: [] }, target: spec.target, evalEvery: spec.evalEvery, ceiling: spec.ceiling }));
    }
    expect(results.map((r) => r.evals.map((e) => e.step))).toEqual([[0, 4], [0, 4]]);
    expect(results[1].provenance!.weightsSha256.slice(0, 8)).toBe('130d4b83');
    expect(results[0].provenance!.base).toBe('seed:tiny');
    // The 70k knew some held-out facts before fine-tuning (its card: FACT 50%); the untrained seed model none.
    expect(results[1].evals[0].scores[COMPONENT_PROBE]).toBeGreaterThan(0);
    expect(results[0].evals[0].scores[COMPONENT_PROBE]).toBe(0);
    const base70 = await loadExperimentBase('tiny-world-ctx256-70k', read);
    await expect(runCell(base70, cells[0], { experimentId: 'x', suite: { name: 'unused', probes: [] }, target: spec.target, evalEvery: 4, ceiling: spec.ceiling })).rejects.toThrow(/is of base seed:tiny, but tiny-world-ctx256-70k was loaded/);
  }, 120_000);
});
