// The three eval sets of Tiny World, never mixed: each use has its own seed and its own third of every eval half.

import type { EvalRole } from './types';

export interface EvalSetChoice {
  seed: number;
  role: EvalRole;
}

/**
 * Tuning pretraining (scripts/pretrain/export-corpus.mjs: train.py's stage evals, the model cards), development (the
 * app's Train-page probes and Evaluate page, choosing settings) and reported results (experiments/suite.ts). The
 * roles partition the eval half (partition.ts EVAL_ROLES; by phrase for TICK and ROUTE), so no item of one set is
 * ever in another, whatever the seeds; the seeds differ too, so no set is a re-draw of another.
 */
export const EVAL_SETS = {
  pretrainTuning: { seed: 1001, role: 'pretrain' },
  development: { seed: 2002, role: 'dev' },
  reported: { seed: 3003, role: 'report' },
} as const satisfies Record<string, EvalSetChoice>;
