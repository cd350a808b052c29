// The readings, checked on hand-made cells with per-item results: resolved and unresolved effects, missing points, every rank.
import { describe, expect, it } from 'vitest';
import { cliffPreset, cliffReplayPreset, saturationPreset } from './presets';
import { cliffReading, cliffStageReading, formatDifference, formatScore, armComparisons, perplexityReading, saturationReading, tradeoffReading, tradeoffStageReading } from './reading';
import type { CellEval, CellSettings, StoredCell } from './types';
import { phraseSplitSeries } from './series';

let nextId = 0;
function cell(settings: Partial<CellSettings>, seed: number, evals: CellEval[], fixed = saturationPreset().fixed): StoredCell {
  return { cellKey: `k${nextId}`, experimentId: 'x', settings: { ...fixed, ...settings }, seed, evals, losses: [], trainExamples: 0, ms: 0, runId: `run-${nextId++}` };
}
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
/** An eval point whose scores are the means of the given 0/1 items. */
function at(step: number, items: Record<string, number[]>): CellEval {
  return { step, scores: Object.fromEntries(Object.entries(items).map(([k, v]) => [k, mean(v)])), items };
}
const ones = (n: number) => new Array<number>(n).fill(1);
const zeros = (n: number) => new Array<number>(n).fill(0);
const final = (route: number[]): CellEval[] => [at(300, { ROUTE: route })];

describe('formatting', () => {
  it('writes a score with its interval and a difference with signs', () => {
    expect(formatScore({ mean: 0.823, lo: 0.7, hi: 0.9 })).toBe('0.82 [0.70, 0.90]');
    expect(formatDifference({ mean: -0.08, lo: -0.33, hi: 0.17 })).toBe('-0.08 [-0.33, +0.17]');
    expect(formatDifference({ mean: 0, lo: 0, hi: 0 })).toBe('0.00 [0.00, 0.00]');
  });
});

describe('saturationReading', () => {
  const spec = saturationPreset();

  it('states a fall that every item of every seed shows, against the clean point it was added to and the same-size control', () => {
    const cells = [1, 2].flatMap((seed) => [
      cell({ trainSize: 50 }, seed, final(zeros(10))),
      cell({ trainSize: 400 }, seed, final(ones(10))),
      cell({ trainSize: 800 }, seed, final(ones(10))),
      cell({ trainSize: 400, addedSize: 400 }, seed, final(zeros(10))),
    ]);
    // Every item flips, so each paired difference is exactly ±1 and every interval is a single point.
    expect(saturationReading(spec, cells)).toBe(
      'Going from 50 clean examples to 800 clean examples took held-out exact match on ROUTE from 0.00 [0.00, 0.00] to 1.00 [1.00, 1.00]: higher, paired difference +1.00 [+1.00, +1.00].' +
        ' The last step, from 400 clean examples (1.00 [1.00, 1.00]) to 800, is not resolved: the paired difference 0.00 [0.00, 0.00] includes zero.' +
        ' Adding 400 noisier examples to 400 clean ones took held-out exact match on ROUTE from 1.00 [1.00, 1.00] to 0.00 [0.00, 0.00]: lower, paired difference -1.00 [-1.00, -1.00].' +
        ' Against 800 clean examples, the same total (1.00 [1.00, 1.00]), it is lower, paired difference -1.00 [-1.00, -1.00].' +
        ' 2 seeds; the intervals resample seeds and eval items.',
    );
  });

  it('says plainly when a difference is not resolved (one item down, two up, one down: −0.10 of 10)', () => {
    const clean = [1, 1, 1, 0, 0, 1, 1, 1, 1, 1];
    const added = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1];
    const reading = saturationReading({ ...spec, axes: [{ knob: 'trainSize', values: [400] }] }, [cell({ trainSize: 400 }, 1, final(clean)), cell({ trainSize: 400, addedSize: 400 }, 1, final(added))]);
    expect(reading).toMatch(/^Only 400 clean examples were measured on the clean curve: 0\.80 \[\d\.\d\d, \d\.\d\d\]\. /);
    expect(reading).toMatch(/Adding 400 noisier examples to 400 clean ones took held-out exact match on ROUTE from 0\.80 \[[\d.]+, [\d.]+\] to 0\.70 \[[\d.]+, [\d.]+\]: not resolved: the paired difference -0\.10 \[-0\.\d\d, \+0\.\d\d\] includes zero\./);
    expect(reading).not.toMatch(/lowered|lower,/);
    expect(reading).toMatch(/One seed: the intervals cover the eval items, not the spread between seeds\.$/);
  });

  it('names only measured points: without the 400-clean point the added pool is not compared with the 200-clean one (#14 item 5)', () => {
    const cells = [
      cell({ trainSize: 50 }, 1, final([1, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
      cell({ trainSize: 200 }, 1, final([1, 1, 1, 1, 1, 1, 1, 1, 1, 0])),
      cell({ trainSize: 400, addedSize: 400 }, 1, final([1, 1, 1, 1, 1, 1, 1, 0, 0, 0])),
    ];
    const reading = saturationReading(spec, cells);
    expect(reading).toContain('Adding 400 noisier examples to 400 clean ones scored 0.70 [');
    expect(reading).toContain('400 clean examples alone were not measured, so there is nothing to compare it with.');
    expect(reading).not.toMatch(/from 0\.90 \[[^\]]+\] to 0\.70/);
    expect(reading).not.toContain('Against 800');
    expect(reading).toMatch(/^Going from 50 clean examples to 200 clean examples took held-out exact match on ROUTE from 0\.10 /);
  });

  it('reports a narrower pool too, and says so when nothing has finished', () => {
    const narrow = [cell({ trainSize: 400 }, 1, final(ones(4))), cell({ trainSize: 400, addedSize: 200, addedKind: 'narrow' }, 1, final(ones(4)))];
    expect(saturationReading(spec, narrow)).toContain('Adding 200 narrower examples to 400 clean ones took held-out exact match on ROUTE from 1.00 [1.00, 1.00] to 1.00 [1.00, 1.00]: not resolved');
    expect(saturationReading(spec, [])).toBe('No run has finished yet.');
  });
});

describe('cliff readings', () => {
  const spec = { ...cliffPreset(), adjacent: ['TICK' as const, 'UP' as const] };
  /** Evals at steps 0, 5, 10: ROUTE learnt at step 10, the adjacent skills forgotten from step 5 (every item, so intervals collapse). */
  const forgetsFirst = (rank: number, seed: number) =>
    cell({ rank }, seed, [
      at(0, { ROUTE: zeros(4), TICK: ones(4), UP: ones(4) }),
      at(5, { ROUTE: zeros(4), TICK: zeros(4), UP: ones(4) }),
      at(10, { ROUTE: ones(4), TICK: zeros(4), UP: ones(4) }),
    ], spec.fixed);
  const learnsOnly = (rank: number, seed: number) =>
    cell({ rank }, seed, [at(0, { ROUTE: zeros(4), TICK: ones(4), UP: ones(4) }), at(5, { ROUTE: ones(4), TICK: ones(4), UP: ones(4) }), at(10, { ROUTE: ones(4), TICK: ones(4), UP: ones(4) })], spec.fixed);

  it('one sentence per rank, naming each; a rank without runs says so instead of "run the experiment"', () => {
    const cells = [forgetsFirst(16, 1), forgetsFirst(16, 2), learnsOnly(0, 1), learnsOnly(0, 2)];
    expect(cliffReading(spec, cells)).toBe(
      'LoRA r4: no run has finished yet.' +
        " LoRA r16, over 10 steps: exact match on ROUTE went from 0.00 [0.00, 0.00] to 1.00 [1.00, 1.00] (a rise, paired difference +1.00 [+1.00, +1.00]); the adjacent skills' mean went from 1.00 to 0.50 (a fall, paired difference -0.50 [-0.50, -0.50]), the largest mean drop TICK 1.00 [1.00, 1.00] → 0.00 [0.00, 0.00]; the fall is resolved first (step 5, the rise at step 10)." +
        " Full fine-tuning, over 10 steps: exact match on ROUTE went from 0.00 [0.00, 0.00] to 1.00 [1.00, 1.00] (a rise, paired difference +1.00 [+1.00, +1.00]); the adjacent skills' mean went from 1.00 to 1.00 (not resolved: the paired difference 0.00 [0.00, 0.00] includes zero)." +
        ' 2 seeds; the intervals resample seeds and eval items.',
    );
    expect(cliffReading(spec, [])).toBe('No run has finished yet.');
  });

  it('on stage, one curves chart reads in a few words for its own method and says where the others are', () => {
    const cells = [forgetsFirst(16, 1), forgetsFirst(16, 2), learnsOnly(0, 1), learnsOnly(0, 2)];
    expect(cliffStageReading(spec, cells, 16)).toBe(
      "LoRA r16, 10 steps: ROUTE 0.00 [0.00, 0.00] → 1.00 [1.00, 1.00], a rise of +1.00 [+1.00, +1.00]; the other skills' mean 1.00 → 0.50, a fall of -0.50 [-0.50, -0.50]." +
        ' LoRA r4, full fine-tuning: on the learns-vs-forgets slide. 2 seeds; intervals over seeds and items.',
    );
    expect(cliffStageReading(spec, cells, 0)).toContain("the other skills' mean 1.00 → 1.00, not resolved (0.00 [0.00, 0.00]).");
    expect(cliffStageReading(spec, cells, 4)).toBe('LoRA r4: no curve yet. LoRA r16, full fine-tuning: on the learns-vs-forgets slide.');
  });

  it('a sweep in progress says how many seeds each point has, not the smallest count as if it were every point', () => {
    const partial = [forgetsFirst(4, 1), forgetsFirst(4, 2), forgetsFirst(4, 3), learnsOnly(0, 1)];
    expect(cliffReading(spec, partial)).toMatch(/ 1–3 seeds per point \(the others have not run yet\); the intervals resample seeds and eval items, and cover only the eval items where a point has one seed\.$/);
    expect(tradeoffReading(spec, [forgetsFirst(4, 1), forgetsFirst(4, 2), forgetsFirst(4, 3), learnsOnly(0, 1), learnsOnly(0, 2)])).toMatch(/ 2–3 seeds per point \(the others have not run yet\); the intervals resample seeds and eval items\.$/);
  });

  it('cannot order the rise and the fall when both are first resolved at the same eval', () => {
    const together = cell({ rank: 4 }, 1, [at(0, { ROUTE: zeros(4), TICK: ones(4), UP: ones(4) }), at(25, { ROUTE: ones(4), TICK: zeros(4), UP: zeros(4) })], spec.fixed);
    expect(cliffReading(spec, [together])).toContain('the rise and the fall are both first resolved at step 25, so evals 25 steps apart cannot order them.');
  });

  it('trade-off: gain and loss per rank with intervals, flagging what is not resolved', () => {
    const cells = [forgetsFirst(4, 1), forgetsFirst(4, 2), learnsOnly(0, 1), learnsOnly(0, 2)];
    expect(tradeoffReading(spec, cells)).toBe(
      'LoRA r4 gained 1.00 [1.00, 1.00] on ROUTE and lost 0.50 [0.50, 0.50] on the rest; full fine-tuning gained 1.00 [1.00, 1.00] on ROUTE and lost 0.00 [0.00, 0.00] on the rest (not resolved: the interval includes zero).' +
        " LoRA r4 − full fine-tuning at the last eval, paired by seed (2) and item: the other skills' mean -0.50 [-0.50, -0.50]: LoRA r4 forgot more; ROUTE 0.00 [0.00, 0.00], not resolved." +
        ' 2 seeds; the intervals resample seeds and eval items.',
    );
  });
});

describe('LoRA against full fine-tuning at the same steps (paired by seed and item)', () => {
  const spec = { ...cliffPreset(), axes: [{ knob: 'rank' as const, values: [4, 0] }], adjacent: ['TICK' as const, 'UP' as const] };
  const start = { ROUTE: zeros(4), TICK: ones(4), UP: ones(4) };
  // LoRA keeps UP and learns no ROUTE item; full FT forgets TICK and UP and learns all 4, in both seeds.
  const lora = (seed: number) => cell({ rank: 4 }, seed, [at(0, start), at(10, { ROUTE: zeros(4), TICK: zeros(4), UP: ones(4) })], spec.fixed);
  const full = (seed: number) => cell({ rank: 0 }, seed, [at(0, start), at(10, { ROUTE: ones(4), TICK: zeros(4), UP: zeros(4) })], spec.fixed);

  it('LoRA − full on the other skills (+0.50: LoRA forgot less) and on the target (−1.00: it learnt less), both resolved', () => {
    const [c] = armComparisons(spec, [lora(1), lora(2), full(1), full(2)]);
    expect(c).toMatchObject({ value: 4, seeds: 2 });
    expect([c.forgetting.mean, c.forgetting.lo, c.forgetting.hi]).toEqual([0.5, 0.5, 0.5]);
    expect([c.target.mean, c.target.lo, c.target.hi]).toEqual([-1, -1, -1]);
    expect(tradeoffReading(spec, [lora(1), lora(2), full(1), full(2)])).toContain(
      "LoRA r4 − full fine-tuning at the last eval, paired by seed (2) and item: the other skills' mean +0.50 [+0.50, +0.50]: LoRA r4 forgot less; ROUTE -1.00 [-1.00, -1.00]: LoRA r4 learnt less.",
    );
    expect(tradeoffStageReading(spec, [lora(1), lora(2), full(1), full(2)])).toBe(
      "ROUTE gain / other skills' change: LoRA r4 0.00 / -0.50, full FT +1.00 / -1.00. LoRA r4 vs full FT: forgot less (+0.50 [+0.50, +0.50]), learnt less (-1.00 [-1.00, -1.00]). Paired by seed (2) and item.",
    );
  });

  it('pairs only seeds that have both methods and start from the same items; no full FT on the axis, no comparison', () => {
    expect(armComparisons(spec, [lora(1), lora(2), full(2)])[0].seeds).toBe(1);
    const otherStart = cell({ rank: 0 }, 1, [at(0, { ROUTE: zeros(4), TICK: [1, 1, 1, 0], UP: ones(4) }), at(10, { ROUTE: ones(4), TICK: zeros(4), UP: zeros(4) })], spec.fixed);
    expect(armComparisons(spec, [lora(1), otherStart])).toEqual([]);
    expect(armComparisons({ ...spec, axes: [{ knob: 'rank', values: [4, 16] }] }, [lora(1), full(1)])).toEqual([]);
    expect(tradeoffStageReading({ ...spec, axes: [{ knob: 'rank', values: [4, 16] }] }, [lora(1)])).toBeUndefined();
  });
});

describe('replay against no replay at the same steps (paired by seed and item)', () => {
  const spec = { ...cliffReplayPreset(), axes: [{ knob: 'replay' as const, values: [0, 0.3] }], adjacent: ['TICK' as const, 'UP' as const] };
  const start = { ROUTE: zeros(4), TICK: ones(4), UP: ones(4) };
  // Without replay both other skills are lost and ROUTE learnt; with 30% replay UP is kept and ROUTE not learnt.
  const none = (seed: number) => cell({ rank: 0, replay: 0 }, seed, [at(0, start), at(10, { ROUTE: ones(4), TICK: zeros(4), UP: zeros(4) })], spec.fixed);
  const replay = (seed: number) => cell({ rank: 0, replay: 0.3 }, seed, [at(0, start), at(10, { ROUTE: zeros(4), TICK: zeros(4), UP: ones(4) })], spec.fixed);

  it('says what the replay share kept (+0.50 of the other skills) and cost on the target (−1.00), on the page and on stage', () => {
    const cells = [none(1), none(2), replay(1), replay(2)];
    expect(tradeoffReading(spec, cells)).toContain(
      "Replay 0.3 − no replay at the last eval, paired by seed (2) and item: the other skills' mean +0.50 [+0.50, +0.50]: replay 0.3 forgot less; ROUTE -1.00 [-1.00, -1.00]: replay 0.3 learnt less.",
    );
    expect(tradeoffStageReading(spec, cells)).toBe(
      "ROUTE gain / other skills' change: no replay +1.00 / -1.00, replay 0.3 0.00 / -0.50. Replay 0.3 vs no replay: forgot less (+0.50 [+0.50, +0.50]), learnt less (-1.00 [-1.00, -1.00]). Paired by seed (2) and item.",
    );
  });
});

describe('perplexity reading', () => {
  const spec = { ...cliffPreset(), adjacent: ['TICK' as const] };
  /** Every held-out line at the same negative log-likelihood per token: perplexity exp(nll), the same for every resample. */
  const ppl = (step: number, nll: number): CellEval => ({ step, scores: { 'held-out text': Math.exp(nll) }, items: { 'held-out text': [2 * nll, 3 * nll] }, itemTokens: { 'held-out text': [2, 3] } });
  it('gives the paired change per rank from per-item log-likelihoods, and names the ranks without runs', () => {
    const cells = [1, 2].map((seed) => cell({ rank: 16 }, seed, [ppl(0, 2), ppl(10, 1)], spec.fixed));
    // e² = 7.389 → e¹ = 2.718: -4.67 in every resample.
    expect(perplexityReading(spec, cells, 'held-out text')).toBe(
      'LoRA r4: no run with perplexity before and after training has finished yet. LoRA r16: held-out text perplexity went from 7.39 [7.39, 7.39] at step 0 to 2.72 [2.72, 2.72] at step 10 (lower, paired difference -4.67 [-4.67, -4.67]).' +
        ' Full fine-tuning: no run with perplexity before and after training has finished yet. 2 seeds; the intervals resample seeds and eval items.',
    );
    expect(perplexityReading(spec, [], 'held-out text')).toBe('No perplexity points yet.');
  });
});

describe('two axes (rank × replay)', () => {
  const spec = { ...cliffPreset(), adjacent: ['TICK' as const], axes: [{ knob: 'rank' as const, values: [4] }, { knob: 'replay' as const, values: [0, 0.25] }] };
  const run = (replay: number, tick: number[]) => cell({ rank: 4, replay }, 1, [at(0, { ROUTE: zeros(5), TICK: ones(5) }), at(100, { ROUTE: ones(5), TICK: tick })], spec.fixed);
  const cells = [run(0, [1, 0, 0, 0, 0]), run(0.25, [1, 1, 1, 1, 0])];

  it('never mixes runs of different variants in one curve, and names the variant', async () => {
    const { cliffCurves } = await import('./series');
    expect(cliffCurves(spec, cells).filter((p) => p.series === 'TICK').map((p) => p.mean)).toEqual([1, 0.2]);
    expect(cliffCurves(spec, cells, undefined, 0.25).filter((p) => p.series === 'TICK').map((p) => p.mean)).toEqual([1, 0.8]);
    expect(cliffReading(spec, cells, 0.25)).toMatch(/^LoRA r4 with replay 0\.25, over 100 steps: exact match on ROUTE went from 0\.00 \[0\.00, 0\.00\] to 1\.00 \[1\.00, 1\.00\] .*the adjacent skills' mean went from 1\.00 to 0\.80/);
    expect(tradeoffReading(spec, cells)).toMatch(/^LoRA r4 with replay 0 gained 1\.00 \[1\.00, 1\.00\] on ROUTE and lost 0\.80 \[[\d.]+, [\d.]+\] on the rest; LoRA r4 with replay 0\.25 gained/);
  });
});

describe('seen- and unseen-phrase accuracy (#12)', () => {
  const spec = saturationPreset();
  const withFlags = (c: StoredCell, flags: boolean[]): StoredCell => ({ ...c, seenPhrase: { ROUTE: flags } });

  it('apart where a point has both kinds of items: the trained-phrase items right, the rest wrong, in every seed', () => {
    const cells = [1, 2].map((seed) => withFlags(cell({ trainSize: 400 }, seed, final([1, 1, 1, 0, 0, 0])), [true, true, true, false, false, false]));
    const split = phraseSplitSeries(spec, cells);
    expect(split.map((p) => [p.series, p.x, p.seen?.mean, p.unseen?.mean, p.seen?.items])).toEqual([['clean', 400, 1, 0, 3]]);
    expect(saturationReading(spec, cells)).toContain('Clean at 400: ROUTE items with a trained phrase 1.00 [1.00, 1.00] (at least 3 items a seed), with an untrained phrase 0.00 [0.00, 0.00] (at least 3 a seed).');
  });

  it('where every item is unseen (the target, split by phrase), one sentence says so; cells without flags add nothing', () => {
    const cells = [1, 2].map((seed) => withFlags(cell({ trainSize: 400 }, seed, final([1, 0, 1])), [false, false, false]));
    expect(phraseSplitSeries(spec, cells)[0].seen).toBeNull();
    expect(saturationReading(spec, cells)).toContain('Every ROUTE eval item\'s ticket phrase is absent from every run\'s training data (split by phrase), so these scores are unseen-phrase accuracy.');
    expect(saturationReading(spec, [cell({ trainSize: 400 }, 1, final([1, 0]))])).not.toContain('phrase');
  });
});
