// Honesty: every plotted point is a stored run whose own eval produced it (real training + eval on tfjs’s wasm backend in Node).
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../../scripts/experiments/backend';
import { tf } from '../backend/tf';
import { cellRunId, cellToRunRecord, storedCellOf } from '../../storage/experiment-cell-record';
import type { RunRecord } from '../../contract';
import { loadExperimentBase } from './base';
import { expandCells, experimentId } from './cells';
import { runCell, type ExperimentBase } from './cell-runner';
import { cliffPreset, reducedSpec, saturationPreset } from './presets';
import { cliffReading, formatScore, saturationReading, tradeoffReading } from './reading';
import { cliffCurves, saturationSeries, tradeoffSeries } from './series';
import { experimentSuite } from './suite';
import type { ExperimentSpec, StoredCell } from './types';

let base: ExperimentBase;
beforeAll(async () => {
  await initNodeBackend('wasm');
  base = await loadExperimentBase('seed:tiny', async () => null);
});

/** Runs every cell for real and keeps them the way the app does: as run records, read back through storedCellOf. */
async function runAndStore(spec: ExperimentSpec): Promise<{ store: Map<string, RunRecord>; cells: StoredCell[] }> {
  const id = experimentId(spec, base.weightsSha256);
  const suite = experimentSuite(spec);
  const store = new Map<string, RunRecord>();
  for (const cell of expandCells(spec)) {
    const before = tf.memory().numTensors;
    const result = await runCell(base, cell, { experimentId: id, suite, target: spec.target, evalEvery: spec.evalEvery, evalEarly: spec.evalEarly });
    expect(tf.memory().numTensors).toBe(before);
    const record = cellToRunRecord(result, base);
    expect(record.id).toBe(cellRunId(id, cell.key));
    store.set(record.id, structuredClone(record));
  }
  return { store, cells: [...store.values()].map(storedCellOf).filter((c): c is StoredCell => c !== null) };
}

function finalOf(run: RunRecord, probe: string): number {
  return run.experimentCell!.evals.at(-1)!.scores[probe];
}

describe('experiment honesty (tiny seed model, CPU)', () => {
  it('saturation: each point is the mean of its runs’ final evals, and the reading quotes those means', async () => {
    const spec = reducedSpec(saturationPreset());
    const { store, cells } = await runAndStore(spec);
    expect(cells).toHaveLength(3);
    const points = saturationSeries(spec, cells);
    expect(points.map((p) => [p.series, p.x])).toEqual([['added noisy', 16], ['clean', 8], ['clean', 16]]);
    for (const p of points) {
      expect(p.runIds.length).toBeGreaterThan(0);
      const values = p.runIds.map((id) => finalOf(store.get(id)!, spec.target));
      expect(p.values).toEqual(values);
      expect(p.mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 12);
      // The interval resamples the run's eval items: it holds the mean and stays inside [0, 1].
      expect(0 <= p.lo && p.lo <= p.mean && p.mean <= p.hi && p.hi <= 1).toBe(true);
      for (const id of p.runIds) expect(store.get(id)!.metrics).toHaveLength(spec.fixed.steps);
    }
    const reading = saturationReading(spec, cells);
    expect(reading).toContain(formatScore(points.find((p) => p.series === 'added noisy')!));
  }, 120_000);

  it('cliff: every curve point and trade-off point traces back to stored eval points', async () => {
    const spec = reducedSpec(cliffPreset());
    const { store, cells } = await runAndStore(spec);
    const curves = cliffCurves(spec, cells);
    expect(new Set(curves.map((p) => p.series))).toEqual(new Set(['ROUTE', 'TICK', 'held-out text']));
    expect([...new Set(curves.map((p) => p.x))].sort((a, b) => a - b)).toEqual([0, 3, 6]);
    for (const p of curves) {
      const values = p.runIds.map((id) => store.get(id)!.experimentCell!.evals.find((e) => e.step === p.x)!.scores[p.series]);
      expect(p.values).toEqual(values);
      expect(p.lo).toBeLessThanOrEqual(p.mean);
      expect(p.hi).toBeGreaterThanOrEqual(p.mean);
    }
    // Every stored eval keeps its per-item results, and they give back its scores.
    for (const cell of cells) {
      for (const e of cell.evals) {
        for (const [probe, score] of Object.entries(e.scores)) {
          const items = e.items![probe];
          expect(items).toHaveLength(spec.evalItems);
          if (probe === 'held-out text') {
            const tokens = e.itemTokens![probe];
            expect(Math.exp(items.reduce((s, v) => s + v, 0) / tokens.reduce((s, v) => s + v, 0))).toBeCloseTo(score, 9);
          } else {
            expect(items.every((v) => v === 0 || v === 1)).toBe(true);
            expect(items.reduce((s, v) => s + v, 0) / items.length).toBeCloseTo(score, 12);
          }
        }
      }
    }
    const tradeoff = tradeoffSeries(spec, cells);
    expect(tradeoff.map((t) => t.x)).toEqual([4, 0]);
    for (const t of tradeoff) {
      const run = store.get(t.runIds[0])!.experimentCell!;
      expect(t.gain.values[0]).toBeCloseTo(run.evals.at(-1)!.scores.ROUTE - run.evals[0].scores.ROUTE, 12);
    }
    const reading = cliffReading(spec, cells);
    expect(reading).toMatch(/^LoRA r4, over 6 steps: exact match on ROUTE /);
    expect(reading).toContain(' Full fine-tuning, over 6 steps: exact match on ROUTE ');
    expect(reading).not.toContain('run the experiment');
    expect(tradeoffReading(spec, cells)).toContain(`LoRA r4 gained ${formatScore(tradeoff[0].gain)}`);
  }, 120_000);
});
