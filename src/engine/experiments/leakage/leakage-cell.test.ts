// A Leakage cell for real on the seed base (tfjs wasm backend): checkpoints, canaries and controls, the calibrated attack's
// zero before training, no leaked tensors, and the stored cells charted as the app does.
import { beforeAll, expect, it } from 'vitest';
import { initNodeBackend } from '../../../../scripts/experiments/backend';
import { JobCancelledError } from '../../errors';
import { tf } from '../../backend/tf';
import { cellToRunRecord, storedCellOf } from '../../../storage/experiment-cell-record';
import { loadExperimentBase } from '../base';
import { expandCells, experimentId } from '../cells';
import { runCell, type ExperimentBase } from '../cell-runner';
import { leakagePreset, reducedSpec } from '../presets';
import { experimentSuite } from '../suite';
import type { StoredCell } from '../types';
import { exposureReading, miaReading } from './reading';
import { exposureByRepetitions, miaOverEpochs } from './series';

let base: ExperimentBase;
beforeAll(async () => {
  await initNodeBackend('wasm');
  base = await loadExperimentBase('seed:tiny', async () => null);
});

it('runs the reduced Leakage preset: exposure at every checkpoint after step 0, both attacks at every one', { timeout: 120_000 }, async () => {
  const spec = reducedSpec(leakagePreset());
  const id = experimentId(spec, base.weightsSha256);
  const cells: StoredCell[] = [];
  for (const cell of expandCells(spec)) {
    const before = tf.memory().numTensors;
    const result = await runCell(base, cell, { experimentId: id, suite: experimentSuite(spec), target: spec.target, evalEvery: spec.evalEvery, leakage: spec.leakage });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.evals.map((e) => e.step)).toEqual([0, 2, 4]);
    expect(result.timing).toMatchObject({ steps: 4, evalPoints: 3 });
    expect(result.trainExamples).toBe(8 + 1 + 4);
    const [start, ...later] = result.evals.map((e) => e.leakage!);
    // Before the first step the fine-tuned model is the reference: every calibrated score is exactly 0.
    expect(start.canaries).toEqual([]);
    expect([...start.mia.calibrated.members, ...start.mia.calibrated.nonMembers].every((v) => v === 0)).toBe(true);
    expect(start.mia.loss.members).toHaveLength(8);
    expect(start.mia.loss.nonMembers).toHaveLength(8);
    for (const point of later) {
      expect(point.canaries.map((c) => c.repetitions)).toEqual([1, 4, 0]);
      expect(point.candidates).toBe(100);
      for (const c of point.canaries) {
        expect(c.exposure).toBeCloseTo(Math.log2(100) - Math.log2(c.rank), 12);
        expect(c.rank).toBeGreaterThanOrEqual(1);
        expect(c.rank).toBeLessThanOrEqual(100);
      }
    }
    expect(later.map((p) => p.epoch)).toEqual([(2 * 4) / 13, (4 * 4) / 13]);
    cells.push(storedCellOf(cellToRunRecord(structuredClone(result), base))!);
  }
  expect(cells[0].runId).toMatch(/^cell-/);
  expect(exposureByRepetitions(spec, cells).map((p) => [p.series, p.x])).toEqual([
    ['LoRA r4 · never inserted', 0], ['LoRA r4', 1], ['LoRA r4', 4], ['full FT · never inserted', 0], ['full FT', 1], ['full FT', 4],
  ]);
  expect(miaOverEpochs(spec, cells)).toHaveLength(2 * 2 * 3);
  expect(exposureReading(spec, cells)).toMatch(/^LoRA r4, after 4 steps/);
  expect(miaReading(spec, cells)).toContain('8 training lines against 8 held-out lines');
});

it('a cancelled Leakage cell stops with JobCancelledError and leaves no tensors behind (the job then keeps the finished cells)', { timeout: 60_000 }, async () => {
  const spec = reducedSpec(leakagePreset());
  const [cell] = expandCells(spec);
  const controller = new AbortController();
  const before = tf.memory().numTensors;
  const run = runCell(base, cell, {
    experimentId: 'exp', suite: experimentSuite(spec), target: spec.target, evalEvery: spec.evalEvery, leakage: spec.leakage, signal: controller.signal,
    onStep: (step) => { if (step === 1) controller.abort(); },
  });
  await expect(run).rejects.toBeInstanceOf(JobCancelledError);
  expect(tf.memory().numTensors).toBe(before);
});
