// What one Judge drift cell runs: the biased judge it builds, and the rounds of sample → judge → DPO for the judge arm and the gold control.
import type { LikelihoodScoring } from '../../teacher/engine-judge';

export interface JudgeDriftSpec {
  /** The skill the student is tuned on: a labelling skill whose exact answer every item has. */
  skill: 'TICK';
  /**
   * The judge's bias, real and measurable: the judge is the base fine-tuned (LoRA) on the skill with every `from`
   * ticket labelled `to` (one team's tickets routed to the wrong team), then used as a likelihood judge.
   */
  corrupt: { from: string; to: string };
  /** Rows and SFT steps of the judge's corrupted fine-tune. */
  judgeTrainSize: number;
  judgeSteps: number;
  /**
   * SFT steps of the round-0 student on gold rows of the skill (as many rows as the judge's, another seed): the loop
   * starts, as RLAIF does, from a supervised model that is mostly right, so the truth has somewhere to fall from.
   */
  studentSteps: number;
  /** How the judge scores an answer (summed log-likelihood favours short answers; per-token does not). */
  scoring: LikelihoodScoring;
  rounds: number;
  /** Prompts per round (fresh train-split prompts each round, the same in both arms). */
  prompts: number;
  /** Answers the student samples per prompt, at this temperature. */
  samples: number;
  temperature: number;
  /**
   * What a round trains on the picks: DPO on the pairs (chosen over each other distinct sample), or best-of-n, SFT on
   * each prompt's chosen answer (at the cell's lr) — both continue the student's adapter.
   */
  objective: 'dpo' | 'best-of-n';
  /** Optimizer steps per round (β and dpoLr apply to DPO; batch and LoRA rank from the cell's settings). */
  dpoSteps: number;
  beta: number;
  /** DPO's learning rate (the SFT phases use the cell's lr). From the SFT student, DPO at 3e-3 × 12 steps and at 1.5e-3 × 8 steps drove both arms to ~0 exact match in round 1 while the reference was the base. */
  dpoLr: number;
  /**
   * DPO's reference model: 'start', the student the round starts from (a frozen copy of its adapter), so the policy is
   * the reference at the round's first step, as DPO assumes; or 'base', the adapter-off base (the earlier design, under
   * which DPO from the SFT student collapsed both arms).
   */
  dpoReference: 'start' | 'base';
}

/** The arms of one cell: preferences from the judge's picks, and the control with preferences from the exact metric. */
export const DRIFT_ARMS = ['judge', 'gold'] as const;
export type DriftArm = (typeof DRIFT_ARMS)[number];

/** Score keys of a drift cell's eval points: `${arm}/exact` (ground truth), `${arm}/judge` (the judge's win rate of the round's student over the round-0 student, ties half), and exact match on the corrupted label's items and the others. */
export const driftKey = (arm: DriftArm, metric: 'exact' | 'judge' | 'exact-corrupted' | 'exact-other') => `${arm}/${metric}`;
/** The judge model's own greedy exact match on the eval items, overall and on the corrupted label's items (round 0 only). */
export const JUDGE_MODEL_EXACT = 'judge-model/exact';
export const JUDGE_MODEL_EXACT_CORRUPTED = 'judge-model/exact-corrupted';

/**
 * The default size (tiny-world-400k, LoRA r8, lr 3e-3, batch 8): the judge tuned 40 steps × 8 on 400 corrupted rows,
 * the round-0 student 40 steps × 8 on 400 gold rows; 3 rounds of 32 prompts × 6 samples at temperature 1, 8 DPO
 * steps per round (β 0.1, lr 5e-4) on the pairs, the reference the round's starting student; 60 held-out eval items,
 * 5 seeds. One seed took 4–7 min of a 2-core CPU (tfjs wasm in Node). DPO from the round's student at 1.5e-3 broke the
 * gold control too (seed 1: 0.82 → 0.68 exact match); at 5e-4 the gold control held (0.82 → 0.75) while the judge arm
 * fell (0.82 → 0.38).
 */
export const JUDGE_DRIFT_DEFAULT: JudgeDriftSpec = {
  skill: 'TICK',
  corrupt: { from: 'billing', to: 'refund' },
  judgeTrainSize: 400,
  judgeSteps: 40,
  studentSteps: 40,
  scoring: 'mean',
  rounds: 3,
  prompts: 32,
  samples: 6,
  temperature: 1,
  objective: 'dpo',
  dpoSteps: 8,
  beta: 0.1,
  dpoLr: 5e-4,
  dpoReference: 'start',
};
export const JUDGE_DRIFT_EVAL_ITEMS = 60;
export const JUDGE_DRIFT_SEEDS = 5;

/** Optimizer steps of one cell: the judge's fine-tune, the round-0 student's, then every round's DPO in both arms. */
export function driftSteps(spec: JudgeDriftSpec): number {
  return spec.judgeSteps + spec.studentSteps + 2 * spec.rounds * spec.dpoSteps;
}
