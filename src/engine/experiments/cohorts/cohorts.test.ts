// The Cohorts preset's pieces checked against hand-computed cases: cohort forms keep the label, shares are refused
// with clear words, balancing and weights have the counts they claim, an example weighted 2 trains as two copies, the
// data never reaches an eval item, and the reading warns only on a resolved regression.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init';
import { tf } from '../../backend/tf';
import { tokenizeRecord } from '../../data/tokenize-record';
import { ExperimentSpecError } from '../../errors';
import { createModel } from '../../models/causal-lm';
import { createTrainer } from '../../train/trainer';
import { generateWorldDataset, SKILLS, ticketPhraseOf } from '../../world';
import { loadExperimentBase } from '../base';
import { cellTrainOptions } from '../cell-training';
import { checkExperimentSpec } from '../leaks';
import { cohortsPreset } from '../presets';
import { evalTexts, experimentSuite } from '../suite';
import type { CellEval, StoredCell } from '../types';
import { validateSpec } from '../validate';
import { assertRunnableSpec } from '../spec-check';
import { assignCohorts, cohortCounts, cohortExamples, cohortSharesProblem, parseCohortShares, repeatsOf, weightsOf } from './data';
import { cohortPrompt } from './forms';
import { cohortProbeName } from './probes';
import { cohortReading } from './reading';
import { cohortPoints } from './series';

describe('cohort forms', () => {
  it('rewrite only the phrase: us and uk keep the solver\'s label, caps is the us prompt with the phrase in capitals', () => {
    const prompts = generateWorldDataset({ mix: { ROUTE: 1 }, size: 1500, split: 'train', seed: 5 }).examples.map((e) => e.prompt);
    let ukDiffers = 0;
    for (const p of prompts) {
      const label = SKILLS.ROUTE.solve(p);
      const [us, uk, caps] = (['us', 'uk', 'caps'] as const).map((c) => cohortPrompt(p, 'ROUTE', c));
      expect(SKILLS.ROUTE.solve(us)).toBe(label);
      expect(SKILLS.ROUTE.solve(uk)).toBe(label);
      const phrase = ticketPhraseOf(p)!;
      expect(caps).not.toBe(us);
      expect(caps.replace(phrase.toUpperCase(), phrase)).toBe(us);
      expect(caps.length).toBe(us.length);
      if (uk !== us) ukDiffers++;
    }
    // Tiny World's uk spelling changes few ROUTE phrases (19 of 287 train phrases): why the preset's minority is caps.
    expect(ukDiffers / prompts.length).toBeLessThan(0.15);
  });
});

describe('cohort shares', () => {
  it('assigns cohorts nested by prefix: the minority holds floor(n × share) of every prefix', () => {
    const shares = { us: 0.95, caps: 0.05 };
    const all = assignCohorts(800, shares);
    expect(assignCohorts(400, shares)).toEqual(all.slice(0, 400));
    // By hand: every 20th example (indices 19, 39, …) is caps.
    expect(all.flatMap((c, i) => (c === 'caps' ? [i] : [])).slice(0, 3)).toEqual([19, 39, 59]);
    for (const n of [19, 20, 50, 100, 400, 800]) expect(cohortCounts(n, shares)).toEqual({ us: n - Math.floor(n / 20), caps: Math.floor(n / 20) });
    // Three cohorts: at example 99 both minorities' quotas tick; caps (the smaller) takes it and uk catches up at 100.
    expect(cohortCounts(100, { us: 0.7, uk: 0.2, caps: 0.1 })).toEqual({ us: 71, uk: 19, caps: 10 });
    expect(cohortCounts(101, { us: 0.7, uk: 0.2, caps: 0.1 })).toEqual({ us: 71, uk: 20, caps: 10 });
  });

  it('refuses shares that do not sum to one, an empty cohort, unknown names, one cohort, a cohort a size leaves empty', () => {
    expect(cohortSharesProblem({ us: 0.95, caps: 0.05 }, [400])).toBeNull();
    expect(cohortSharesProblem({ us: 0.9, caps: 0.05 })).toBe('The shares sum to 0.95, not 1: they are fractions of the training data (e.g. “us 0.95, caps 0.05”).');
    expect(cohortSharesProblem({ us: 1, caps: 0 })).toMatch(/^Cohort “caps” has share 0: an empty cohort has no examples to learn from/);
    expect(cohortSharesProblem({ us: 0.5, french: 0.5 })).toBe('Unknown cohort “french”: the cohorts are us, uk, caps.');
    expect(cohortSharesProblem({ us: 1 })).toMatch(/^Name at least two cohorts/);
    expect(cohortSharesProblem({ us: 0.95, caps: 0.05 }, [10])).toBe('At 10 training examples cohort “caps” (share 0.05) gets no example: raise its share to at least 0.1 or the training size to at least 20.');
    expect(parseCohortShares('us 0.95, caps 0.05')).toEqual({ us: 0.95, caps: 0.05 });
    expect(parseCohortShares('us:0.5,uk:0.5')).toEqual({ us: 0.5, uk: 0.5 });
    expect(parseCohortShares('us, caps')).toBeNull();
  });

  it('the preset refuses bad shares before anything runs, on the cohort field, in the job\'s words too', () => {
    const spec = cohortsPreset();
    expect(validateSpec(spec)).toEqual([]);
    const bad = { ...spec, fixed: { ...spec.fixed, cohorts: { us: 0.95, caps: 0.1 } } };
    expect(validateSpec(bad)).toEqual([{ field: 'cohorts', message: 'The shares sum to 1.05, not 1: they are fractions of the training data (e.g. “us 0.95, caps 0.05”).' }]);
    expect(() => assertRunnableSpec(bad)).toThrow(/This sweep cannot run: Cohort shares: The shares sum to 1.05/);
    const small = { ...spec, fixed: { ...spec.fixed, trainSize: 10 } };
    expect(validateSpec(small).map((p) => p.field)).toEqual(['cohorts']);
    expect(() => checkExperimentSpec(small)).toThrow(ExperimentSpecError);
  });

  it('balanced sampling repeats the minority until the cohorts are sampled as often; reweighting equalises their loss', () => {
    expect(repeatsOf({ us: 380, caps: 20 }, 1)).toEqual({ us: 1, caps: 19 });
    expect(repeatsOf({ us: 380, caps: 20 }, 0)).toEqual({ us: 1, caps: 1 });
    const w = weightsOf({ us: 380, caps: 20 }, 1);
    // Each cohort's total weight is the same, and the mean weight is 1: 380 wu = 20 wc, 380 wu + 20 wc = 400.
    expect(w.us).toBeCloseTo(400 / 760, 12);
    expect(w.caps).toBeCloseTo(400 / 40, 12);
    expect(weightsOf({ us: 380, caps: 20 }, 0)).toEqual({ us: 1, caps: 1 });
  });

  it('a cell\'s data: the cohorts at their shares, in their forms, and never an eval item or an eval phrase', () => {
    const spec = cohortsPreset();
    const suite = experimentSuite(spec);
    expect(suite.probes.map((p) => p.name)).toEqual(['ROUTE · us', 'ROUTE · caps']);
    const evalSet = evalTexts(suite);
    const evalPhrases = new Set(suite.probes[0].items.map((i) => ticketPhraseOf((i as { prompt: string }).prompt)));
    for (const [balance, reweight] of [[0, 0], [1, 0], [0, 1]]) {
      const data = cohortExamples({ ...spec.fixed, balance, reweight }, 2, 'ROUTE', evalSet);
      const caps = data.filter((e) => e.cohort === 'caps');
      expect(caps.length).toBe(balance === 1 ? 20 * 19 : 20);
      expect(data.length - caps.length).toBe(380);
      for (const e of data) {
        expect(evalSet.has(e.prompt)).toBe(false);
        expect(e.prompt).toBe(cohortPrompt(e.source, 'ROUTE', e.cohort as 'us' | 'caps'));
        expect(evalPhrases.has(ticketPhraseOf(e.source))).toBe(false);
      }
      const mean = data.reduce((s, e) => s + e.weight, 0) / data.length;
      expect(mean).toBeCloseTo(1, 12);
      if (reweight === 1) expect(caps[0].weight * caps.length).toBeCloseTo(data.find((e) => e.cohort === 'us')!.weight * 380, 9);
    }
  });
});

describe('per-example loss weights', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('an example whose token weights are doubled trains exactly as the example twice (the trainer\'s weighted-mean loss)', async () => {
    const base = await loadExperimentBase('seed:tiny', async () => null);
    const tokenize = (prompt: string, completion: string) => tokenizeRecord({ kind: 'prompt-completion', line: 1, prompt, completion }, base.tokenizer, { maxSeqLen: 64, appendEos: false });
    const a = tokenize('ROUTE my parcel never came=', 'shipping\n');
    const b = tokenize('ROUTE refund please=', 'billing\n');
    const doubled = { ...a, weights: a.weights.map((w) => 2 * w) };
    const settings = { ...cohortsPreset().fixed, rank: 4, steps: 3, lr: 0.01 };
    const lossesOf = async (data: (typeof a)[], batchSize: number) => {
      const model = createModel(base.config, base.weights);
      const trainer = createTrainer(model, data, cellTrainOptions({ ...settings, batchSize }, 1, 64));
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) losses.push((await trainer.step()).loss);
      trainer.dispose();
      model.dispose();
      return losses;
    };
    const before = tf.memory().numTensors;
    const weighted = await lossesOf([doubled, b], 2);
    const copies = await lossesOf([a, a, b], 3);
    const plain = await lossesOf([a, b], 2);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 3; i++) expect(weighted[i]).toBeCloseTo(copies[i], 5);
    // And the weight matters: the unweighted pair has another loss.
    expect(Math.abs(plain[0] - weighted[0])).toBeGreaterThan(1e-4);
  }, 240_000);
});

describe('cohort reading', () => {
  const spec = cohortsPreset();
  const [us, caps] = [cohortProbeName('ROUTE', 'us'), cohortProbeName('ROUTE', 'caps')];
  const point = (step: number, u: number[], c: number[]): CellEval => ({
    step,
    scores: { [us]: u.reduce((s, v) => s + v, 0) / u.length, [caps]: c.reduce((s, v) => s + v, 0) / c.length },
    items: { [us]: u, [caps]: c },
  });
  const cell = (seed: number, balance: number, evals: CellEval[]): StoredCell => ({
    cellKey: `${balance}-${seed}`, experimentId: 'x', settings: { ...spec.fixed, balance }, seed, evals, losses: [], trainExamples: 0, ms: 0, runId: `r${balance}-${seed}`,
  });
  const n = 20;
  const ones = (k: number) => Array.from({ length: n }, (_, i) => (i < k ? 1 : 0));

  it('gaps and changes from the base, paired on the same tickets; no warning while no cohort regresses', () => {
    const cells = [1, 2, 3].map((s) => cell(s, 0, [point(0, ones(0), ones(0)), point(200, ones(18), ones(4))]));
    const { text, warnings } = cohortReading(spec, cells);
    expect(text).toContain('As sampled, after 200 steps: us 0.90 [');
    expect(text).toContain('caps against us on the same tickets: lower, -0.70 [');
    expect(text).toContain('from the base: us up, +0.90 [');
    expect(warnings).toEqual([]);
    expect(cohortPoints(spec, cells).map((p) => `${p.variant}|${p.series}|${p.mean.toFixed(3)}`)).toEqual([
      'base, before fine-tuning|us (share 0.95)|0.000', 'base, before fine-tuning|caps (share 0.05)|0.000', 'base, before fine-tuning|overall at the shares|0.000',
      'as sampled|us (share 0.95)|0.900', 'as sampled|caps (share 0.05)|0.200', 'as sampled|overall at the shares|0.865',
    ]);
  });

  it('warns when a mitigation gains overall while a cohort loses, both resolved; says "not resolved" otherwise', () => {
    const none = [1, 2, 3].map((s) => cell(s, 0, [point(0, ones(0), ones(0)), point(200, ones(14), ones(18))]));
    const balanced = [1, 2, 3].map((s) => cell(s, 1, [point(0, ones(0), ones(0)), point(200, ones(18), ones(2))]));
    const { text, warnings } = cohortReading(spec, [...none, ...balanced]);
    expect(text).toContain('Balanced sampling against as sampled, paired by seed (3): us higher, +0.20 [');
    expect(warnings).toHaveLength(1);
    // Overall at the shares by hand: 0.95 × (0.90 − 0.70) + 0.05 × (0.10 − 0.90) = +0.15.
    expect(warnings[0]).toMatch(/^Balanced sampling \(against as sampled\) improves ROUTE exact match overall \(\+0\.15 \[.*\]\) but cohort “caps” regresses \(-0\.80 \[/);
    const tied = [1, 2, 3].map((s) => cell(s, 1, [point(0, ones(0), ones(0)), point(200, ones(14), ones(18))]));
    const calm = cohortReading(spec, [...none, ...tied]);
    expect(calm.warnings).toEqual([]);
    expect(calm.text).toContain('us not resolved (0.00 [0.00, 0.00] includes zero)');
  });
});
