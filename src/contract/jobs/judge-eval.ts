// Judge job (Evaluate page): base vs fine-tuned answers on Tiny World eval items graded by an engine judge, and the graded pairs saved as preferences.
import type { LikelihoodScoring } from '../../engine/teacher/engine-judge';
import type { GradedPair, JudgeGrades } from '../../engine/teacher/judge-grading';
import type { PreferenceSource } from '../../engine/teacher/judge-pairs';
import type { ProducerId } from '../../engine/teacher/port';
import type { SkillName } from '../../engine/world/types';

export type { GradedPair, JudgeGrades, LikelihoodScoring, PreferenceSource, ProducerId };

export interface JudgeEvalInput {
  runId: string;
  itemsPerSkill: number;
  /** The skills whose eval items are judged (every skill has an exact metric); all when absent. */
  skills?: SkillName[];
  /** Which model judges: the run's base, or the fine-tuned model itself (a judge of its own answers). */
  judge: 'base' | 'fine-tuned';
  scoring: LikelihoodScoring;
}

export interface JudgeEvalProgress {
  phase: 'answering' | 'judging';
  done: number;
  total: number;
}

export interface JudgeEvalResult {
  input: JudgeEvalInput;
  /** The fine-tuned model's checkpoint step. */
  tunedStep: number;
  /** Who judged, and who wrote each side's answers (greedy): carried into a saved preference dataset's lineage. */
  judge: ProducerId;
  answers: { base: ProducerId; tuned: ProducerId };
  /** Where the items came from, in words (set, seed, items per skill). */
  evalSet: string;
  pairs: GradedPair[];
  grades: JudgeGrades;
  perSkill: { skill: string; grades: JudgeGrades }[];
}

/** A preference dataset's origin when the Evaluate page's judge (or the exact metric beside it) made it. */
export interface PreferenceLineage {
  source: PreferenceSource;
  /** The judge whose verdicts chose; null when the exact metric chose. */
  judge: ProducerId | null;
  answers: { base: ProducerId; tuned: ProducerId };
  runId: string;
  tunedStep: number;
  evalSet: string;
}

export interface SavePreferencePairsInput {
  result: JudgeEvalResult;
  source: PreferenceSource;
}
