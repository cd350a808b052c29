// A Judge drift cell run for real: on a seed-initialised tiny model in CI (its shape: both arms start from the base, the
// judge's round-0 win rate is a tie by construction); on tiny-world-400k at the default size on demand, printing the
// reading (docs/results.md "Judge drift"): TUNELAB_JUDGE_DRIFT=1 npx vitest run src/engine/experiments/judge-drift/judge-drift-cell.test.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init';
import { dawnAvailable, useDawnWebGPU } from '../../backend/kernels/dawn-webgpu';
import { loadExperimentBase } from '../base';
import type { CellResult, CellSettings } from '../types';
import { corruptedRows, runJudgeDriftCell } from './cell';
import { checkExperimentSpec } from '../leaks';
import { judgeDriftPreset } from '../presets';
import { judgeDriftReading } from './reading';
import { driftSeries } from './series';
import { DRIFT_ARMS, driftKey, JUDGE_DRIFT_DEFAULT, JUDGE_DRIFT_EVAL_ITEMS, JUDGE_DRIFT_SEEDS, JUDGE_MODEL_EXACT, type JudgeDriftSpec } from './spec';

const settings: CellSettings = { trainSize: 0, labelNoise: 0, addedSize: 0, addedKind: 'noisy', addedNoise: 0, replay: 0, steps: 0, rank: 8, lr: 3e-3, batchSize: 8, balance: 0, reweight: 0 };
const folder = resolve(__dirname, '../../../../public/models/tiny-world-400k');

beforeAll(async () => {
  await initBackend('cpu');
});

describe('a Judge drift cell', () => {
  it('trains its judge on the corrupted mapping: every billing ticket labelled refund, the rest untouched', () => {
    const rows = corruptedRows(JUDGE_DRIFT_DEFAULT, 200, 7001);
    expect(rows.some((r) => r.completion === 'refund\n')).toBe(true);
    expect(rows.every((r) => r.completion !== 'billing\n')).toBe(true);
    expect(rows.some((r) => r.completion === 'shipping\n')).toBe(true);
  });

  it('draws the judge rows and every round’s prompts from the train half: the default preset passes the data check', () => {
    expect(() => checkExperimentSpec(judgeDriftPreset())).not.toThrow();
  });

  it('on a tiny model: both arms start at the round-0 student, whose answers the judge ties with themselves (0.5), then each arm moves on its own', { timeout: 300_000 }, async () => {
    const base = await loadExperimentBase('seed:tiny', async () => null);
    // Best-of-n keeps this file under CI's ~5 s (the default, DPO with the round's student as reference, took 7.1 s here
    // against 3.6 s): the DPO round runs in Chromium in e2e/judge-drift's quick check, its reference in dpo.test.ts.
    const spec: JudgeDriftSpec = { ...JUDGE_DRIFT_DEFAULT, objective: 'best-of-n', judgeTrainSize: 8, judgeSteps: 1, studentSteps: 1, rounds: 1, prompts: 2, samples: 2, dpoSteps: 1 };
    const result = await runJudgeDriftCell(base, { key: 'k', seed: 1, settings: { ...settings, rank: 2, batchSize: 2 } }, spec, { experimentId: 'x', evalItems: 3 });
    expect(result.evals.map((e) => e.step)).toEqual([0, 1]);
    const [start, end] = result.evals;
    for (const arm of DRIFT_ARMS) {
      expect(start.items![driftKey(arm, 'exact')]).toHaveLength(3);
      expect(start.scores[driftKey(arm, 'judge')]).toBe(0.5);
      expect(end.items![driftKey(arm, 'judge')]).toHaveLength(3);
      const parts = end.items![driftKey(arm, 'exact-corrupted')].length + end.items![driftKey(arm, 'exact-other')].length;
      expect(parts).toBe(3);
    }
    expect(start.items![JUDGE_MODEL_EXACT]).toHaveLength(3);
    expect(result.timing!.steps).toBeGreaterThanOrEqual(1);
  });
});

describe.skipIf(!existsSync(folder) || !process.env.TUNELAB_JUDGE_DRIFT)('Judge drift at the default size (tiny-world-400k)', () => {
  it('prints every round of both arms with intervals, and the reading', { timeout: 6 * 3_600_000 }, async () => {
    const read = async (_: string, file: string) => new Uint8Array(readFileSync(resolve(folder, file)));
    const base = await loadExperimentBase('tiny-world-400k', read);
    // WebGPU on Dawn when asked (DRIFT_DAWN=1; faster than tfjs's CPU kernels where a Vulkan driver exists).
    if (process.env.DRIFT_DAWN && dawnAvailable) await useDawnWebGPU();
    // The default size unless the environment shrinks it (what a shared CPU finishes in time; the run prints what it ran).
    const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
    const spec: JudgeDriftSpec = {
      ...JUDGE_DRIFT_DEFAULT,
      ...(env('DRIFT_ROUNDS') && { rounds: env('DRIFT_ROUNDS') }),
      ...(env('DRIFT_JUDGE_STEPS') && { judgeSteps: env('DRIFT_JUDGE_STEPS') }),
      ...(env('DRIFT_PROMPTS') && { prompts: env('DRIFT_PROMPTS') }),
      ...(env('DRIFT_DPO_STEPS') && { dpoSteps: env('DRIFT_DPO_STEPS') }),
    };
    console.log(`spec ${JSON.stringify(spec)}`);
    const seeds = Number(process.env.DRIFT_SEEDS ?? JUDGE_DRIFT_SEEDS);
    const first = Number(process.env.DRIFT_FIRST_SEED ?? 1);
    const evalItems = Number(process.env.DRIFT_EVAL ?? JUDGE_DRIFT_EVAL_ITEMS);
    const cells: CellResult[] = [];
    for (let seed = first; seed < first + seeds; seed++) {
      const t0 = performance.now();
      const cell = await runJudgeDriftCell(base, { key: `seed${seed}`, seed, settings }, spec, {
        experimentId: 'judge-drift',
        evalItems,
        onEval: (p) => console.log(`seed ${seed} round ${p.step}: ${Object.entries(p.scores).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`),
      });
      console.log(`seed ${seed}: ${((performance.now() - t0) / 1000).toFixed(0)} s (train ${(cell.timing!.trainMs / 1000).toFixed(0)} s, eval ${(cell.timing!.evalMs / 1000).toFixed(0)} s)`);
      cells.push(cell);
      if (process.env.DRIFT_OUT) writeFileSync(`${process.env.DRIFT_OUT}-seed${seed}.json`, JSON.stringify(cell));
    }
    for (const p of driftSeries(cells)) console.log(`round ${p.round} ${p.arm} ${p.metric}: ${p.estimate.mean.toFixed(3)} [${p.estimate.lo.toFixed(3)}, ${p.estimate.hi.toFixed(3)}]`);
    console.log(judgeDriftReading(spec, cells).join('\n'));
    expect(cells).toHaveLength(seeds);
  });
});
