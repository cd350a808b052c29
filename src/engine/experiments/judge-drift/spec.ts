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
  /** How the judge scores an answer (summed log-likelihood favours short answers; per-token does not). */
  scoring: LikelihoodScoring;
  rounds: number;
  /** Prompts per round (fresh train-split prompts each round, the same in both arms). */
  prompts: number;
  /** Answers the student samples per prompt, at this temperature. */
  samples: number;
  temperature: number;
  /** DPO steps per round on that round's pairs (β below; lr, batch and LoRA rank from the cell's settings). */
  dpoSteps: number;
  beta: number;
}

/** The arms of one cell: preferences from the judge's picks, and the control with preferences from the exact metric. */
export const DRIFT_ARMS = ['judge', 'gold'] as const;
export type DriftArm = (typeof DRIFT_ARMS)[number];

/** Score keys of a drift cell's eval points: `${arm}/exact` (ground truth), `${arm}/judge` (the judge's win rate of the student over the base), and the same on the corrupted label's items. */
export const driftKey = (arm: DriftArm, metric: 'exact' | 'judge' | 'exact-corrupted' | 'exact-other') => `${arm}/${metric}`;
/** The judge model's own greedy exact match on the eval items, overall and on the corrupted label's items (round 0 only). */
export const JUDGE_MODEL_EXACT = 'judge-model/exact';
export const JUDGE_MODEL_EXACT_CORRUPTED = 'judge-model/exact-corrupted';

/**
 * The default size (tiny-world-400k, LoRA r8, lr 3e-3, batch 8): the judge tuned 60 steps × 8 on 400 corrupted rows;
 * 3 rounds of 16 prompts × 4 samples at temperature 1, 8 DPO steps (β 0.1) per round; 40 held-out eval items.
 */
export const JUDGE_DRIFT_DEFAULT: JudgeDriftSpec = {
  skill: 'TICK',
  corrupt: { from: 'billing', to: 'refund' },
  judgeTrainSize: 400,
  judgeSteps: 60,
  scoring: 'mean',
  rounds: 3,
  prompts: 16,
  samples: 4,
  temperature: 1,
  dpoSteps: 8,
  beta: 0.1,
};
export const JUDGE_DRIFT_EVAL_ITEMS = 40;
export const JUDGE_DRIFT_SEEDS = 3;

/** Optimizer steps of one cell: the judge's fine-tune, then every round's DPO in both arms. */
export function driftSteps(spec: JudgeDriftSpec): number {
  return spec.judgeSteps + 2 * spec.rounds * spec.dpoSteps;
}
