// The two stage presets (Saturation, Generalization cliff) with the pilot's settings, and a reduced variant for tests.
import type { CellSettings, ExperimentSpec, PresetId } from './types';
import { CEILING_BASES } from './ceiling/spec';
import { JUDGE_DRIFT_DEFAULT, JUDGE_DRIFT_EVAL_ITEMS, JUDGE_DRIFT_SEEDS, driftSteps } from './judge-drift/spec';
import { PROMPTING_VERSION } from './prompting/spec';

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
  balance: 0,
  reweight: 0,
};

/**
 * Saturation (pilot: LoRA r8, 300 steps × 16, lr 3e-3): held-out exact match on ROUTE vs clean N, then 400 clean +
 * 400 from a pool with 30% wrong labels, and 400 clean + 400 from a narrow pool (new prompts with two of the four desks
 * and two wrappers: the seed story's "narrower" data, #12), each against the same-N clean control (N = 800 on the clean curve).
 */
export function saturationPreset(): ExperimentSpec {
  return {
    preset: 'saturation',
    base: DEFAULT_BASE,
    seeds: PRESET_SEEDS,
    fixed: { ...SHARED },
    axes: [{ knob: 'trainSize', values: [50, 100, 200, 400, 800] }],
    extraCells: [{ trainSize: 400, addedSize: 400, addedKind: 'noisy' }, { trainSize: 400, addedSize: 400, addedKind: 'narrow' }],
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
 * controls, each with its own name ({who}) so that each has its own prefix; exposure, extraction and both membership
 * attacks are measured at every epoch of that run. LoRA r8 against full fine-tuning. 98 lines + 62 canary copies =
 * 160 rows = 20 batches of 8: an epoch is 20 steps, 10 epochs, the learning rate decaying to 0 (cosine): at a constant
 * rate a secret near rank 1 flipped in and out of greedy reach from one epoch to the next (docs/results.md).
 */
export function leakagePreset(): ExperimentSpec {
  return {
    preset: 'leakage',
    base: LEAKAGE_BASE,
    seeds: 3,
    fixed: { ...SHARED, trainSize: 98, steps: 200, rank: 8, lr: 3e-3, batchSize: 8, schedule: 'cosine' },
    axes: [{ knob: 'rank', values: [8, 0] }],
    extraCells: [],
    evalEvery: 20,
    evalEarly: { every: 0, until: 0 },
    evalItems: 98,
    target: 'ADD',
    adjacent: [],
    leakage: { template: "{who}'s account pin is {dddd}", repetitions: [1, 2, 4, 8, 16], canariesPerCount: 2, controls: 4 },
  };
}

/** The Distillation preset's teachers: gold (the control), then 20% and 40% of the answers wrong. */
export const DISTILL_TEACHER_SHARES = [0, 0.2, 0.4];

/**
 * Distillation inherits errors: a LoRA r8 student of the smaller Tiny World base fine-tuned on 200 ROUTE prompts
 * answered by a teacher whose answers are gold with a known share corrupted per item (a fixed confusion: each desk
 * becomes the next one), against the student of the gold teacher; students answer 100 held-out items (the reported
 * eval set). 3 seeds × 3 teachers, 100 steps of 8: sized so the nine runs finish within an hour on a shared CPU.
 */
export function distillPreset(): ExperimentSpec {
  return {
    preset: 'distill',
    base: LEAKAGE_BASE,
    seeds: 3,
    fixed: { ...SHARED, trainSize: 200, steps: 100, batchSize: 8 },
    axes: [{ knob: 'labelNoise', values: [...DISTILL_TEACHER_SHARES] }],
    extraCells: [],
    evalEvery: 0,
    evalEarly: { every: 0, until: 0 },
    evalItems: 100,
    target: 'ROUTE',
    adjacent: [],
    distill: { teacherSeed: 1 },
  };
}

/** The Cohorts preset's base: the smaller shipped model (nine runs fit the time budget on it). */
export const COHORTS_BASE = 'tiny-world-400k';

/**
 * Cohorts: ROUTE fine-tuning data in which 5% of the tickets come from a minority cohort that writes the phrase in
 * capitals; per-cohort held-out exact match on the same items in both forms, before and after. Runs: the data as it
 * comes, cohort-balanced sampling (balance 1: the minority's examples repeated until both cohorts are sampled as often),
 * and loss reweighting (reweight 1: weights ∝ 1/share, mean 1). Scored at step 0 and the end.
 */
export function cohortsPreset(): ExperimentSpec {
  return {
    preset: 'cohorts',
    base: COHORTS_BASE,
    seeds: 3,
    fixed: { ...SHARED, trainSize: 400, steps: 60, cohorts: { us: 0.95, caps: 0.05 } },
    axes: [{ knob: 'balance', values: [0, 1] }],
    extraCells: [{ reweight: 1 }],
    evalEvery: 60,
    evalEarly: { every: 0, until: 0 },
    evalItems: 50,
    target: 'ROUTE',
    adjacent: [],
  };
}

/**
 * Cliff with replay: the cliff's narrow ROUTE fine-tune (full fine-tuning, where the pilot's forgetting was deepest)
 * with 0%, 10% and 30% of the fine-tuning data replayed from the base's pretraining mixture (eval items left out).
 */
export function cliffReplayPreset(): ExperimentSpec {
  const cliff = cliffPreset();
  return { ...cliff, preset: 'cliff-replay', seeds: 3, fixed: { ...cliff.fixed, rank: 0 }, axes: [{ knob: 'replay', values: [0, 0.1, 0.3] }] };
}

/**
 * Judge drift (the RLAIF / synthetic-preference loop): a judge with a measured bias (the base LoRA-tuned on TICK with
 * every billing ticket labelled refund, judging by likelihood) picks the best of the student's samples, the student is
 * fine-tuned on its picks (best-of-n, or DPO on pairs), round after round, from a round-0 student SFT-tuned on gold rows; the same loop with gold
 * preferences beside it. One cell per seed runs both.
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

/**
 * Embedding gap (#18): the smaller base as an embedder (mean pooling, cosine) ranks 4 team pages for 200 held-out
 * tickets, before and after LoRA r8 contrastive fine-tuning (MultipleNegativesRankingLoss, in-batch negatives) on 8, 32
 * and 128 ticket → page pairs, 40 steps of 4 pairs, 3 seeds (docs/results.md).
 */
export function embeddingGapPreset(): ExperimentSpec {
  return { ...distillPreset(), preset: 'embedding-gap', distill: undefined, fixed: { ...SHARED, trainSize: 128, steps: 40, lr: 2e-3, batchSize: 4 }, axes: [{ knob: 'trainSize', values: [8, 32, 128] }], evalItems: 200, embeddingGap: { pooling: 'mean' } };
}

/** The matched-gain preset's stopping rule at default size: ROUTE at 0.3 on 40 dev items, checked every 5 steps. */
export const MATCHED_DEFAULT = { targetAccuracy: 0.3, checkEvery: 5, devItems: 40 };

/**
 * LoRA vs full fine-tuning at matched gain (Biderman et al. 2024): LoRA r8 and full fine-tuning, each at two learning
 * rates (3e-3 and 1e-2; full fine-tuning at × 0.3 by the cliff's rule, so 9e-4 and 3e-3), on the smaller base with the
 * cliff's probes; every run stops at the first dev check where ROUTE reaches 0.3, or at the 100-step cap (batch 8), and
 * the reported items are scored there and at step 0. 3 seeds × 4 runs: sized for this shared CPU (a step of the 800k
 * base took ~30 s at load 25 here), like the Cohorts and Leakage presets.
 */
export function matchedGainPreset(): ExperimentSpec {
  const cliff = cliffPreset();
  return {
    ...cliff,
    preset: 'matched-gain',
    base: LEAKAGE_BASE,
    seeds: 3,
    fixed: { ...cliff.fixed, steps: 100, rank: 8, lr: 3e-3, batchSize: 8 },
    axes: [{ knob: 'rank', values: [8, 0] }, { knob: 'lr', values: [3e-3, 1e-2] }],
    evalEvery: 0,
    evalEarly: { every: 0, until: 0 },
    evalItems: 40,
    matched: { ...MATCHED_DEFAULT },
  };
}

/** The Prompting preset's base: the long-context family's middle size (8 shots fit its context; docs/results.md, the pilot). */
export const PROMPTING_BASE = 'tiny-world-ctx256-440k';

/**
 * Prompting vs fine-tuning (#17): on UP (upper-casing a word: the pilot's skill where the 440k's zero-shot is far from
 * its ceiling and LoRA on 512 examples gained most, 0.67 → 0.91 in 200 steps), the untouched base asked with k = 0, 1, 2, 4, 8 solved lines before each
 * prompt against LoRA r8 fine-tuned on N = 8, 32, 128, 512 examples and asked zero-shot; per seed one pool of train-split
 * examples (the shots its first k, the fine-tuning data its first N), the same 200 reported items for every cell.
 * Sized by the pilot (docs/results.md): 200 steps of 8 per fine-tuning run, 3 seeds.
 */
export function promptingPreset(): ExperimentSpec {
  return {
    preset: 'prompting',
    base: PROMPTING_BASE,
    seeds: 3,
    fixed: { ...SHARED, trainSize: 0, shots: 0, steps: 200, rank: 8, lr: 3e-3, batchSize: 8 },
    axes: [{ knob: 'shots', values: [0, 1, 2, 4, 8] }, { knob: 'trainSize', values: [8, 32, 128, 512] }],
    extraCells: [],
    evalEvery: 0,
    evalEarly: { every: 0, until: 0 },
    evalItems: 200,
    target: 'UP',
    adjacent: [],
    prompting: { version: PROMPTING_VERSION },
  };
}

/** The Capability ceiling preset's default: 12 of the 20 entities' facts trained, 8 held out (24 eval facts per seed). */
export const CEILING_TRAIN_ENTITIES = 12;

/**
 * Capability ceiling (Gekhman et al. 2024; Zhou et al. 2023): the same LoRA fine-tune — the facts of 12 entities asked
 * in a question phrasing no base saw ("what is tulol's color? ") — on each base of the long-context family, scored on the
 * 8 held-out entities' facts in that phrasing, against the base's own FACT accuracy on the same facts before
 * fine-tuning. Scored at step 0 and the end. LoRA r8, lr 3e-3, batch 8, 300 steps: the pilot's fewest steps at which the
 * ablated twin answered half its trained entities' questions (0.36 at 150 steps over 3 seeds, 0.58 at 300 on seed 1);
 * the 440k's and 840k's held-out scores were flat from step 100, and lr 1e-2 wiped the small bases' FACT (docs/results.md).
 */
export function ceilingPreset(): ExperimentSpec {
  const steps = 300;
  return {
    preset: 'ceiling',
    base: CEILING_BASES[CEILING_BASES.length - 1],
    seeds: 3,
    fixed: { ...SHARED, trainSize: CEILING_TRAIN_ENTITIES * 3, steps, rank: 8, lr: 3e-3, batchSize: 8 },
    axes: [{ knob: 'rank', values: [8] }],
    extraCells: [],
    evalEvery: steps,
    evalEarly: { every: 0, until: 0 },
    evalItems: (20 - CEILING_TRAIN_ENTITIES) * 3,
    target: 'FACT',
    adjacent: [],
    ceiling: { bases: [...CEILING_BASES], trainEntities: CEILING_TRAIN_ENTITIES },
  };
}

/** Every preset, in the order links and the work table list them. */
export const PRESET_IDS: PresetId[] = ['saturation', 'cliff', 'leakage', 'distill', 'cohorts', 'cliff-replay', 'judge-drift', 'embedding-gap', 'matched-gain', 'prompting', 'ceiling'];

export function presetSpec(id: PresetId): ExperimentSpec {
  if (id === 'embedding-gap') return embeddingGapPreset();
  if (id === 'matched-gain') return matchedGainPreset();
  if (id === 'prompting') return promptingPreset();
  if (id === 'ceiling') return ceilingPreset();
  if (id === 'judge-drift') return judgeDriftPreset();
  if (id === 'leakage') return leakagePreset();
  if (id === 'cohorts') return cohortsPreset();
  if (id === 'cliff-replay') return cliffReplayPreset();
  if (id === 'distill') return distillPreset();
  return id === 'saturation' ? saturationPreset() : cliffPreset();
}

/** Learning rate used for full fine-tuning cells (rank 0): the pilot's 3e-4 against LoRA's 1e-3, i.e. lr × 0.3. */
export const FULL_FT_LR_FACTOR = 0.3;

/** A preset at a size a headless browser on a software GPU finishes in seconds (e2e, smoke runs). */
export function reducedSpec(spec: ExperimentSpec): ExperimentSpec {
  if (spec.preset === 'judge-drift' && spec.judgeDrift) {
    // A judge and a round-0 student tuned 1 step on 8 rows, one round of 2 prompts × 2 samples and 1 DPO step per arm, 3 eval items.
    const drift = { ...spec.judgeDrift, judgeTrainSize: 8, judgeSteps: 1, studentSteps: 1, rounds: 1, prompts: 2, samples: 2, dpoSteps: 1 };
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
  if (spec.preset === 'distill') {
    // 16 prompts, 6 steps of 4, teachers gold and half wrong, 6 held-out items.
    return { ...spec, base: 'seed:tiny', seeds: 1, fixed: { ...spec.fixed, trainSize: 16, steps: 6, batchSize: 4 }, axes: [{ knob: 'labelNoise', values: [0, 0.5] }], evalItems: 6 };
  }
  if (spec.preset === 'cohorts' || spec.embeddingGap) {
    // Cohorts: 20 examples at the preset's shares (19 + 1), 6 steps of 4, each mitigation once. Embedding gap: its
    // pair counts, 6 steps of 4 pairs, 3 test tickets (one branch: the first view's JavaScript has no bytes to spare).
    return { ...spec, base: 'seed:tiny', seeds: 1, fixed: { ...spec.fixed, trainSize: 20, steps: 6, batchSize: 4 }, evalEvery: 6, evalItems: 3 };
  }
  if (spec.preset === 'matched-gain' && spec.matched) {
    // Both methods at one learning rate, 6 steps of 4 at most, the dev probe (3 items) checked every 2 steps.
    return { ...spec, base: 'seed:tiny', seeds: 1, fixed: { ...spec.fixed, trainSize: 8, steps: 6, batchSize: 4 }, axes: [{ knob: 'rank', values: [4, 0] }, { knob: 'lr', values: [spec.fixed.lr] }], evalItems: 3, adjacent: ['TICK'], matched: { ...spec.matched, checkEvery: 2, devItems: 3 } };
  }
  if (spec.prompting) {
    // The untouched seed base (context 64) with 0 and 1 shots against 4 steps of 4 on 8 examples, 3 eval items.
    return { ...spec, base: 'seed:tiny', seeds: 1, fixed: { ...spec.fixed, steps: 4, batchSize: 4 }, axes: [{ knob: 'shots', values: [0, 1] }, { knob: 'trainSize', values: [8] }], evalItems: 3 };
  }
  if (spec.preset === 'ceiling' && spec.ceiling) {
    // Two untrained seed models (same recipe under two names, so two identities and one set of compiled shaders), 4 steps of 4, one seed.
    return { ...spec, base: 'seed:tiny', seeds: 1, fixed: { ...spec.fixed, steps: 4, batchSize: 4, rank: 2 }, axes: [{ knob: 'rank', values: [2] }], evalEvery: 4, ceiling: { ...spec.ceiling, bases: ['seed:tiny', 'seed:tiny-b'] } };
  }
  if (spec.preset === 'cliff-replay') {
    return { ...spec, base: 'seed:tiny', seeds: 1, fixed: { ...spec.fixed, trainSize: 8, steps: 6, batchSize: 4 }, axes: [{ knob: 'replay', values: [0, 0.3] }], evalEvery: 3, evalEarly: { every: 0, until: 0 }, evalItems: 3, adjacent: ['TICK'] };
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
