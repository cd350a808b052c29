// Tiny World skill evaluation job: base vs few-shot base vs fine-tuned per skill.
import type { Comparison } from '../../engine/eval/compare';

export interface SkillEvalResult {
  itemsPerSkill: number;
  shots: number;
  tunedStep: number | null;
  /** Baseline "base"; variants "few-shot base" and (after a checkpoint) "fine-tuned". */
  comparison: Comparison;
}
