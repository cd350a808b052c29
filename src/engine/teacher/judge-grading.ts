// Grading base vs fine-tuned with a judge: win rate, ties, position-swap agreement and agreement with an exact metric, each with a bootstrap interval.
import { bootstrapScore } from '../eval/bootstrap';
import type { ItemValue, Score } from '../eval/types';
import type { PairwiseJudgement } from './port';

/** One eval item, both models' answers, the exact metric's verdict on each, and the judge's verdict (A = base, B = fine-tuned). */
export interface GradedPair {
  /** The probe or group it came from (a Tiny World skill). */
  group: string;
  prompt: string;
  /** The reference answer, where the eval set has one (what exact match compares against). */
  reference?: string;
  base: string;
  tuned: string;
  /** Exact match against the reference; absent without one. */
  baseCorrect?: boolean;
  tunedCorrect?: boolean;
  judgement: Pick<PairwiseJudgement, 'firstOrder' | 'swappedOrder' | 'consistent' | 'winner'>;
  /** The judge's scores of A and B in its own units, when it has them (a likelihood judge's log-likelihoods). */
  scoreA?: number;
  scoreB?: number;
}

export interface JudgeGrades {
  pairs: number;
  /** Fine-tuned preferred / base preferred / tie (inconsistent orders count as ties, as the port defines). */
  tunedWins: number;
  baseWins: number;
  ties: number;
  /** Pairs whose two answers are the same text (always a tie). */
  identical: number;
  /** (fine-tuned wins + ½ ties) ÷ pairs. */
  winRate: Score;
  /** Share of pairs whose two orders gave the same verdict. */
  swapAgreement: Score;
  /** Over pairs where exactly one answer is exact-match correct: the share where the judge prefers that one (a tie counts ½); null when there is no such pair or no reference. */
  exactAgreement: Score | null;
  /** Exact match of each model, on the pairs with a reference (the ground truth beside the judge's opinion). */
  exactMatch: { base: Score; tuned: Score } | null;
  /** The same fine-tuned-vs-base win rate, decided by the exact metric instead of the judge (ties where both or neither are right). */
  exactWinRate: Score | null;
}

const one = (x: number): ItemValue => ({ numerator: x, denominator: 1 });

/** The summary of a graded eval set; `seed` fixes the bootstrap resamples. */
export function gradeJudgements(pairs: readonly GradedPair[], seed = 7, resamples = 1000): JudgeGrades {
  const score = (values: ItemValue[], offset: number) => bootstrapScore(values, { seed: seed + offset, resamples });
  const verdictValue = (w: GradedPair['judgement']['winner']) => (w === 'B' ? 1 : w === 'A' ? 0 : 0.5);
  const withReference = pairs.filter((p) => p.baseCorrect !== undefined && p.tunedCorrect !== undefined);
  const decisive = withReference.filter((p) => p.baseCorrect !== p.tunedCorrect);
  return {
    pairs: pairs.length,
    tunedWins: pairs.filter((p) => p.judgement.winner === 'B').length,
    baseWins: pairs.filter((p) => p.judgement.winner === 'A').length,
    ties: pairs.filter((p) => p.judgement.winner === 'tie').length,
    identical: pairs.filter((p) => p.base === p.tuned).length,
    winRate: score(pairs.map((p) => one(verdictValue(p.judgement.winner))), 0),
    swapAgreement: score(pairs.map((p) => one(p.judgement.firstOrder === p.judgement.swappedOrder ? 1 : 0)), 1),
    exactAgreement: decisive.length
      ? score(decisive.map((p) => one(p.judgement.winner === 'tie' ? 0.5 : (p.judgement.winner === 'B') === p.tunedCorrect ? 1 : 0)), 2)
      : null,
    exactMatch: withReference.length
      ? { base: score(withReference.map((p) => one(p.baseCorrect ? 1 : 0)), 3), tuned: score(withReference.map((p) => one(p.tunedCorrect ? 1 : 0)), 4) }
      : null,
    exactWinRate: withReference.length ? score(withReference.map((p) => one(p.tunedCorrect === p.baseCorrect ? 0.5 : p.tunedCorrect ? 1 : 0)), 5) : null,
  };
}
