// Leakage series and readings on hand-built numbers: slopes, gaps and AUCs computed by hand, an effect stated when its
// interval excludes zero (or 0.5 for an AUC) and "not resolved" when it does not.
import { describe, expect, it } from 'vitest';
import { leakagePreset } from '../presets';
import type { CanaryPoint, CellEval, MiaScores, StoredCell } from '../types';
import { aucBootstrap } from './auc-bootstrap';
import { exposureReading, exposureStageReading, exposureStepsReading, exposureStepsStageReading, miaReading, miaStageReading } from './reading';
import { exposureByRepetitions, exposureChange, exposureGap, exposureSlope, methodExposureDifference, miaChange, miaOverEpochs } from './series';

const spec = leakagePreset();
const COUNTS = [1, 2, 4, 8, 16];

interface Checkpoint {
  step: number;
  /** Exposure of the two canaries at each count (and of the controls at key 0). */
  exposure?: Record<number, number[]>;
  mia: { loss: MiaScores; calibrated: MiaScores };
}

function cell(rank: number, seed: number, points: Checkpoint[]): StoredCell {
  const evals: CellEval[] = points.map((p) => {
    const canaries: CanaryPoint[] = Object.entries(p.exposure ?? {}).flatMap(([r, list]) => list.map((exposure) => ({ repetitions: Number(r), exposure, rank: 1, extracted: exposure > 13 })));
    return { step: p.step, scores: {}, leakage: { canaries, candidates: 10_000, mia: p.mia, epoch: p.step / 20 } };
  });
  return { cellKey: `rank=${rank} seed=${seed}`, experimentId: 'exp', settings: { ...spec.fixed, rank }, seed, evals, losses: [], trainExamples: 160, ms: 1, runId: `run-${rank}-${seed}` };
}

const tied: MiaScores = { members: [1, 1, 1, 1], nonMembers: [1, 1, 1, 1] };
const separated: MiaScores = { members: [5, 6, 7, 8], nonMembers: [1, 2, 3, 4] };
const mia = (m: MiaScores) => ({ loss: m, calibrated: m });

/** Exposure = slope × log2(r) + offset, the two canaries of a count at ±0.25 around it; controls at 1 ± 0.25. */
function linear(slope: number, offset: number): Record<number, number[]> {
  const out: Record<number, number[]> = { 0: [0.75, 1.25] };
  for (const r of COUNTS) out[r] = [slope * Math.log2(r) + offset - 0.25, slope * Math.log2(r) + offset + 0.25];
  return out;
}

describe('Leakage series and readings (hand-built numbers)', () => {
  it('a slope of 2 bits per doubling in every seed is 2.00 and stated as a rise; 16× vs 1× is 8 bits', () => {
    const cells = [1, 2, 3].map((s) => cell(8, s, [{ step: 0, mia: mia(tied) }, { step: 100, exposure: linear(2, 1 + 0.5 * s), mia: mia(separated) }]));
    const slope = exposureSlope(spec, cells, 8)!;
    expect(slope.mean).toBeCloseTo(2, 12);
    expect(slope.values.map((v) => Number(v.toFixed(12)))).toEqual([2, 2, 2]);
    expect(slope.lo).toBeGreaterThan(0);
    const gap = exposureGap(spec, cells, 8, 1, 16)!;
    expect(gap.mean).toBeCloseTo(8, 12);
    const reading = exposureReading(spec, cells);
    expect(reading).toContain('exposure per doubling of repetitions: rises, slope +2.00 [');
    expect(reading).toContain('16× against 1×: higher, difference +8.00 [');
    expect(reading).toContain('at most 13.29 bits = log2 of 10,000 secrets');
    // Mean exposure at 16× over seeds: 2·4 + 1 + 0.5·(1+2+3)/3 = 10.
    const at16 = exposureByRepetitions(spec, cells).find((p) => p.x === 16)!;
    expect(at16.mean).toBeCloseTo(10, 12);
    expect(at16.series).toBe('LoRA r8');
  });

  it('slopes of +1, −1 and +0.2 across seeds are not resolved, and the reading says so instead of a rise', () => {
    const cells = [1, -1, 0.2].map((slope, i) => cell(8, i + 1, [{ step: 100, exposure: linear(slope, 3), mia: mia(separated) }]));
    const slope = exposureSlope(spec, cells, 8)!;
    expect(slope.mean).toBeCloseTo(0.2 / 3, 12);
    expect(slope.lo).toBeLessThan(0);
    expect(slope.hi).toBeGreaterThan(0);
    const reading = exposureReading(spec, cells);
    expect(reading).toMatch(/exposure per doubling of repetitions: not resolved \(the slope \+0\.07 \[-\d\.\d\d, \+\d\.\d\d\] bits includes zero\)/);
    expect(reading).not.toContain('exposure rises');
  });

  it('methods are paired by seed and canary: full FT 3 bits above LoRA at 16× in every seed', () => {
    const cells = [1, 2, 3].flatMap((s) => [
      cell(8, s, [{ step: 100, exposure: linear(1, s), mia: mia(separated) }]),
      cell(0, s, [{ step: 100, exposure: linear(1, s + 3), mia: mia(separated) }]),
    ]);
    const d = methodExposureDifference(spec, cells, 8, 0, 16)!;
    expect(d.mean).toBeCloseTo(3, 12);
    expect(d.lo).toBeCloseTo(3, 12);
    expect(exposureReading(spec, cells)).toContain('Full fine-tuning against LoRA r8, same seeds and canaries, at 16×: higher, difference +3.00 [+3.00, +3.00] bits');
    // Both methods separate members perfectly (AUC 1): the paired AUC difference is exactly zero, not a difference.
    expect(miaReading(spec, cells)).toContain('Full fine-tuning against LoRA r8 at the last checkpoint, same seeds and records: loss attack not resolved (the difference 0.00 [0.00, 0.00] includes zero)');
  });

  it('the slide’s short MIA reading: each method’s two AUCs at the last checkpoint and their verdicts, far shorter than the page’s', () => {
    // LoRA: members all above non-members (AUC 1) for both attacks; full FT: tied scores (AUC 0.5 exactly).
    const cells = [1, 2, 3].flatMap((s) => [
      cell(8, s, [{ step: 100, exposure: linear(1, s), mia: mia(separated) }]),
      cell(0, s, [{ step: 100, exposure: linear(1, s), mia: mia(tied) }]),
    ]);
    const short = miaStageReading(spec, cells);
    expect(short).toContain('LoRA r8 after 5 epochs: calibrated attack AUC 1.00 [1.00, 1.00], above chance; loss attack 1.00 [1.00, 1.00], above chance.');
    expect(short).toContain('Full fine-tuning after 5 epochs: calibrated attack AUC 0.50 [0.50, 0.50], not resolved from chance; loss attack 0.50 [0.50, 0.50], not resolved from chance.');
    expect(short).toContain('3 seeds.');
    expect(short.length).toBeLessThan(miaReading(spec, cells).length / 2);
  });

  it('exposure over steps: each canary paired with itself between the first and last checkpoint', () => {
    const cells = [1, 2, 3].map((s) => cell(8, s, [{ step: 20, exposure: linear(1, 1), mia: mia(tied) }, { step: 100, exposure: linear(1, 1 + s), mia: mia(separated) }]));
    const d = exposureChange(spec, cells, 8, 16, 20, 100)!;
    expect(d.mean).toBeCloseTo(2, 12);
    expect(d.values.map((v) => Number(v.toFixed(12)))).toEqual([1, 2, 3]);
    const reading = exposureStepsReading(spec, cells, 8);
    expect(reading).toContain('from step 20 (epoch 1) to step 100 (epoch 5)');
    expect(reading).toContain('16×: rose, difference +2.00 [');
    // The controls did not move: zero in every seed is not a change.
    expect(reading).toContain('the controls: not resolved (the difference 0.00 [0.00, 0.00] bits includes zero)');
    // The slide's short form: the mean changes, the unresolved one marked. 1× .. 16× each rose by (1+2+3)/3 = 2 bits.
    expect(exposureStepsStageReading(spec, cells, 8)).toBe('LoRA r8, epoch 1 to 5, change in exposure per canary (bits): 1× +2.0, 2× +2.0, 4× +2.0, 8× +2.0, 16× +2.0, never inserted +0.0 (not resolved). 3 seeds. Intervals: on the page.');
  });

  it('AUC: the hand-computed Mann–Whitney value, above chance when separated, not resolved when tied, and its rise over epochs', () => {
    // Members 3 and 2 against non-members 1 and 2.5: 3 of the 4 pairs ordered → 0.75.
    expect(aucBootstrap([{ conditions: [{ members: [3, 2], nonMembers: [1, 2.5] }] }], (a) => a[0]).mean).toBe(0.75);
    const cells = [1, 2, 3].map((s) => cell(8, s, [{ step: 0, mia: mia(tied) }, { step: 20, exposure: linear(1, 1), mia: mia(tied) }, { step: 100, exposure: linear(1, 2), mia: mia(separated) }]));
    const points = miaOverEpochs(spec, cells);
    expect(points.filter((p) => p.series === 'LoRA r8 · loss attack').map((p) => [p.x, p.mean])).toEqual([[0, 0.5], [1, 0.5], [5, 1]]);
    const change = miaChange(spec, cells, 8, 'loss', 20, 100)!;
    expect(change.mean).toBe(0.5);
    expect(change.lo).toBe(0.5);
    const reading = miaReading(spec, cells);
    expect(reading).toContain('LoRA r8, loss attack: AUC after 5 epochs is 1.00 [1.00, 1.00], above chance (the interval excludes 0.5); from epoch 1 to 5: rose, difference +0.50 [+0.50, +0.50]; TPR at 1% FPR 1.00');
    // Full FT at AUC 1 where LoRA is at 0.5, seed by seed: +0.50, resolved.
    const full = [1, 2, 3].map((s) => cell(0, s, [{ step: 20, exposure: linear(1, 1), mia: mia(tied) }, { step: 100, exposure: linear(1, 2), mia: mia(separated) }]));
    const lora = [1, 2, 3].map((s) => cell(8, s, [{ step: 20, exposure: linear(1, 1), mia: mia(tied) }, { step: 100, exposure: linear(1, 2), mia: mia(tied) }]));
    expect(miaReading(spec, [...lora, ...full])).toContain('Full fine-tuning against LoRA r8 at the last checkpoint, same seeds and records: loss attack higher, difference +0.50 [+0.50, +0.50]; calibrated attack higher');
    const flat = [1, 2, 3].map((s) => cell(8, s, [{ step: 20, exposure: linear(1, 1), mia: mia(tied) }, { step: 100, exposure: linear(1, 1), mia: mia(tied) }]));
    const flatReading = miaReading(spec, flat);
    expect(flatReading).toContain('AUC after 5 epochs is 0.50 [0.50, 0.50], not resolved from chance (the interval includes 0.5); from epoch 1 to 5: not resolved (the difference 0.00 [0.00, 0.00] includes zero)');
    expect(flatReading).not.toContain('above chance');
  });

  it('the demonstration (every 8× secret extracted, no 1× secret, in the same run) is counted run by run', () => {
    // extracted = exposure > 13. Seeds 1 and 2: both 8× canaries at 13.2, both 1× at 1; seed 3: one 8× canary at 12.
    const exposure = (eight: number[]) => ({ ...linear(0, 1), 8: eight, 16: [13.29, 13.29] });
    const cells = [[13.2, 13.2], [13.2, 13.2], [13.2, 12]].map((eight, i) => cell(8, i + 1, [{ step: 100, exposure: exposure(eight), mia: mia(separated) }]));
    const reading = exposureReading(spec, cells);
    expect(reading).toContain('Greedy decoding from the prefix emits the secret for 0/6 at 1×, 0/6 at 2×, 0/6 at 4×, 5/6 at 8×, 6/6 at 16×. Every 8× secret extracted and no 1× secret, in the same run: holds in some runs only (2 of 3).');
    const all = [1, 2, 3].map((s) => cell(8, s, [{ step: 100, exposure: exposure([13.2, 13.2]), mia: mia(separated) }]));
    expect(exposureReading(spec, all)).toContain('in the same run: holds in every run (3 of 3).');
    // The slide's short form: the same counts and verdict (the chart beside it shows the exposures).
    const short = exposureStageReading(spec, all);
    expect(short).toBe('LoRA r8, 5 epochs: secrets extracted 0/6 seen 1×, 0/6 2×, 0/6 4×, 6/6 8×, 6/6 16×; every 8× and no 1× secret out in 3 of 3 runs. 3 seeds. Exposure in bits, with intervals: the chart and the page.');
    expect(short.length).toBeLessThan(exposureReading(spec, all).length / 2);
    // A 1× secret extracted spoils its run even with every 8× secret out.
    const leaky = [1, 2, 3].map((s) => cell(8, s, [{ step: 100, exposure: { ...exposure([13.2, 13.2]), 1: [13.2, 1] }, mia: mia(separated) }]));
    expect(exposureReading(spec, leaky)).toContain('3/6 at 1×');
    expect(exposureReading(spec, leaky)).toContain('in the same run: holds in no run (0 of 3).');
  });

  it('no finished run: the readings say so', () => {
    expect(exposureReading(spec, [])).toBe('No run has finished yet.');
    expect(miaReading(spec, [])).toBe('No run has finished yet.');
    expect(exposureStepsReading(spec, [], 8)).toBe('No run has finished yet.');
  });
});
