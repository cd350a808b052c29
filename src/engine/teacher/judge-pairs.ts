// Preference pairs from graded answers: chosen/rejected by the judge's verdict, or by the exact metric (the reference chosen over each wrong answer).
import type { PreferenceRecord } from '../data/record';
import type { GradedPair } from './judge-grading';

/** 'judge': the judge's winner over its loser (ties left out); 'exact-match': the reference over every wrong answer. */
export type PreferenceSource = 'judge' | 'exact-match';

/**
 * TRL-format preference rows ({"prompt","chosen","rejected"}); `suffix` (the stop string, '\n' on Tiny World) ends every
 * answer so DPO learns to stop there too. Rows carry their group as cohort and their source as a tag.
 */
export function preferencePairs(pairs: readonly GradedPair[], source: PreferenceSource, suffix = ''): PreferenceRecord[] {
  const rows: PreferenceRecord[] = [];
  const add = (pair: GradedPair, chosen: string, rejected: string) => {
    if (chosen === rejected) return; // no preference to learn (the dataset reader refuses such a row)
    rows.push({ kind: 'preference', line: rows.length + 1, prompt: pair.prompt, chosen: chosen + suffix, rejected: rejected + suffix, cohort: pair.group, tags: [source] });
  };
  for (const pair of pairs) {
    if (source === 'judge') {
      const { winner } = pair.judgement;
      if (winner === 'A') add(pair, pair.base, pair.tuned);
      else if (winner === 'B') add(pair, pair.tuned, pair.base);
    } else {
      if (pair.reference === undefined) continue;
      const wrong = [...new Set([pair.baseCorrect ? null : pair.base, pair.tunedCorrect ? null : pair.tuned].filter((a): a is string => a !== null))];
      for (const answer of wrong) add(pair, pair.reference, answer);
    }
  }
  return rows;
}
