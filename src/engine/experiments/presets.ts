// The two stage presets (Saturation, Generalization cliff) with the pilot's settings, and a reduced variant for tests.
import type { CellSettings, ExperimentSpec, PresetId } from './types';
import { JUDGE_DRIFT_DEFAULT, JUDGE_DRIFT_EVAL_ITEMS, JUDGE_DRIFT_SEEDS, driftSteps } from './judge-drift/spec';

export const DEFAULT_BASE = 'tiny-world-800k';

/**
 * Seeds per preset point: with 2 a seed-level resample has only three distinct outcomes, and the pilot's 2-seed
 * claims did not survive resampling (#12); 5 is the fewest the issue accepts for reported runs.
 */
export const PRESET_SEEDS = 5;

const SHARED: CellSettings = {
  trainSize: 400,
  labelNoise: 0,
  addedSize: 0,
  addedKind: 'noisy',
  addedNoise: 0.3,
  replay: 0,
  steps: 300,
  rank: 8,
  lr: 3e-3,
  batchSize: 16,
};

/**
 * Saturation (pilot: LoRA r8, 300 steps × 16, lr 3e-3): held-out exact match on ROUTE vs clean N, then 400 clean +
 * 400 from a pool with 30% wrong labels, against the same-N clean control (N = 800 on the clean curve).
 */
export function saturationPreset(): ExperimentSpec {
  return {
    preset: 'saturation',
    base: DEFAULT_BASE,
    seeds: PRESET_SEEDS,
    fixed: { ...SHARED },
    axes: [{ knob: 'trainSize', values: [50, 100, 200, 400, 800] }],
    extraCells: [{ trainSize: 400, addedSize: 400 }],
    evalEvery: 0,
    evalEarly: { every: 0, until: 0 },
    evalItems: 50,
    target: 'ROUTE',
    adjacent: [],
  };
}

/**
 * Generalization cliff: narrow fine-tuning on ROUTE with per-probe curves for the adjacent skills, LoRA ranks against
 * full fine-tuning (rank 0). Evaluated every 25 steps, and every 5 steps over the first 50, where the pilot saw
 * forgetting and learning start, so the reading can tell per method which is resolved first.
 */
export function cliffPreset(): ExperimentSpec {
  return {
    preset: 'cliff',
    base: DEFAULT_BASE,
    seeds: PRESET_SEEDS,
    fixed: { ...SHARED, steps: 200, lr: 1e-3 },
    axes: [{ knob: 'rank', values: [4, 16, 0] }],
    extraCells: [],
    evalEvery: 25,
    evalEarly: { every: 5, until: 50 },
    evalItems: 20,
    target: 'ROUTE',
    adjacent: ['TICK', 'REV', 'UP', 'FACT', 'REVUP', 'ADD'],
  };
}

/** The Leakage preset's base: the smaller Tiny World model (the canaries leak within a few hundred steps on it). */
export const LEAKAGE_BASE = 'tiny-world-400k';

/**
 * Leakage (Carlini et al. 2019): one run per method and seed carries two canaries at each of 1, 2, 4, 8 and 16
 * repetitions (a distinct 4-digit secret each, |R| = 10^4, so every candidate is ranked exactly) and 4 never-inserted
 * controls; exposure, extraction and both membership attacks are measured at every epoch of that run. LoRA r8 against
 * full fine-tuning. 98 lines + 62 canary copies = 160 rows = 20 batches of 8: an epoch is 20 steps, 5 epochs.
 */
export function leakagePreset(): ExperimentSpec {
  return {
    preset: 'leakage',
    base: LEAKAGE_BASE,
    seeds: 3,
    fixed: { ...SHARED, trainSize: 98, steps: 100, rank: 8, lr: 3e-3, batchSize: 8 },
    axes: [{ knob: 'rank', values: [8, 0] }],
    extraCells: [],
    evalEvery: 20,
    evalEarly: { every: 0, until: 0 },
    evalItems: 98,
    target: 'ADD',
    adjacent: [],
    leakage: { template: 'my account pin is {dddd}', repetitions: [1, 2, 4, 8, 16], canariesPerCount: 2, controls: 4 },
  };
}

/**
 * Judge drift (the RLAIF / synthetic-preference loop): a judge with a measured bias (the base LoRA-tuned on TICK with
 * every billing ticket labelled refund, judging by likelihood) picks the best and worst of the student's samples, DPO
 * trains on its picks, round after round; the same loop with gold preferences beside it. One cell per seed runs both.
 * `steps` counts every optimizer step of a cell (the judge's, then each round's DPO in both arms), for progress.
 */
export function judgeDriftPreset(): ExperimentSpec {
  const drift = JUDGE_DRIFT_DEFAULT;
  return {
    preset: 'judge-drift',
    base: LEAKAGE_BASE,
    seeds: JUDGE_DRIFT_SEEDS,
    fixed: { ...SHARED, trainSize: drift.judgeTrainSize, steps: driftSteps(drift), rank: 8, lr: 3e-3, batchSize: 8 },
    axes: [{ knob: 'rank', values: [8] }],
    extraCells: [],
    evalEvery: 0,
    evalEarly: { every: 0, until: 0 },
    evalItems: JUDGE_DRIFT_EVAL_ITEMS,
    target: drift.skill,
    adjacent: [],
    judgeDrift: drift,
  };
}

export function presetSpec(id: PresetId): ExperimentSpec {
  if (id === 'judge-drift') return judgeDriftPreset();
  if (id === 'leakage') return leakagePreset();
  return id === 'saturation' ? saturationPreset() : cliffPreset();
}

/** Learning rate used for full fine-tuning cells (rank 0): the pilot's 3e-4 against LoRA's 1e-3, i.e. lr × 0.3. */
export const FULL_FT_LR_FACTOR = 0.3;

/** A preset at a size a headless browser on a software GPU finishes in seconds (e2e, smoke runs). */
export function reducedSpec(spec: ExperimentSpec): ExperimentSpec {
  if (spec.preset === 'judge-drift' && spec.judgeDrift) {
    // A judge tuned 1 step on 8 rows, one round of 2 prompts × 2 samples and 1 DPO step per arm, 3 eval items.
    const drift = { ...spec.judgeDrift, judgeTrainSize: 8, judgeSteps: 1, rounds: 1, prompts: 2, samples: 2, dpoSteps: 1 };
    return { ...spec, base: 'seed:tiny', seeds: 1, fixed: { ...spec.fixed, trainSize: 8, steps: driftSteps(drift), rank: 2, batchSize: 2 }, axes: [{ knob: 'rank', values: [2] }], evalItems: 3, judgeDrift: drift };
  }
  if (spec.preset === 'leakage') {
    // 8 lines + canaries at 1× and 4× (2-digit secrets) + 1 control: 13 rows, 4 steps of 4, measured every 2 steps.
    return {
      ...spec,
      base: 'seed:tiny',
      seeds: 1,
      fixed: { ...spec.fixed, trainSize: 8, steps: 4, batchSize: 4 },
      axes: [{ knob: 'rank', values: [4, 0] }],
      extraCells: [],
      evalEvery: 2,
      evalEarly: { every: 0, until: 0 },
      leakage: { template: 'my pin is {dd}', repetitions: [1, 4], canariesPerCount: 1, controls: 1 },
    };
  }
  const small = spec.preset === 'saturation';
  return {
    ...spec,
    base: 'seed:tiny',
    seeds: 1,
    fixed: { ...spec.fixed, steps: 6, batchSize: 4 },
    axes: small ? [{ knob: 'trainSize', values: [8, 16] }] : [{ knob: 'rank', values: [4, 0] }],
    extraCells: small ? [{ trainSize: 8, addedSize: 8 }] : [],
    evalEvery: small ? 0 : 3,
    evalEarly: { every: 0, until: 0 },
    evalItems: 3,
    adjacent: small ? [] : ['TICK'],
  };
}
