// The Distillation reading, generated from the stored answers: an effect is stated only where its interval excludes zero, and only what was measured is named.
import { resolved, twoLevelBootstrap, scoreOf, type Estimate } from '../resample';
import { formatDifference, formatScore } from '../reading';
import type { ExperimentSpec, StoredCell } from '../types';
import { cellsOf, chanceRate, excessAt, itemRows, lastDistillEval, repeatRate, sharesOf, studentDropAt, studentOverTeacherAt, teacherLabel } from './series';

function effect(d: Pick<Estimate, 'mean' | 'lo' | 'hi'>, up: string, down: string): string {
  if (!resolved(d)) return `not resolved (difference ${formatDifference(d)} includes zero)`;
  return `${d.mean > 0 ? up : down} (difference ${formatDifference(d)})`;
}

function seedsNote(n: number): string {
  return n === 1 ? 'One seed: the intervals cover the held-out items, not the spread between seeds.' : `${n} seeds; the intervals resample seeds and held-out items within each.`;
}

/** How often the student gave the teacher's exact wrong answer where it erred, against the chance level where it was right. */
function repeatsSentence(spec: ExperimentSpec, cells: readonly StoredCell[], share: number, units: { groups: number[][][] }[], opening: string): string {
  const repeats = twoLevelBootstrap(units, repeatRate, { clip: [0, 1] });
  const chance = twoLevelBootstrap(units, chanceRate, { clip: [0, 1] });
  const excess = excessAt(spec, cells, share);
  return `${opening}, the student gave the teacher’s exact wrong answer in ${formatScore(repeats)} of them; where the teacher was right it gave that same wrong answer in ${formatScore(chance)} (the chance level): repeats beyond chance ${effect(excess, 'resolved, more often where the teacher erred', 'resolved, less often where the teacher erred')}.`;
}

/**
 * One sentence per teacher: what its student scored, against the gold teacher's student and against itself
 * ('accuracy'), and how it copied the teacher's errors ('repeats'); 'all' both.
 */
export function distillReading(spec: ExperimentSpec, cells: readonly StoredCell[], part: 'all' | 'accuracy' | 'repeats' = 'all'): string {
  const shares = sharesOf(spec, cells);
  if (shares.length === 0) return 'No finished runs yet.';
  const items = lastDistillEval(cellsOf(spec, cells, shares[0])[0])?.distill.references.length ?? 0;
  const sentences: string[] = [];
  const seeds = Math.min(...shares.map((s) => cellsOf(spec, cells, s).length));
  for (const share of shares) {
    const own = cellsOf(spec, cells, share);
    const units = own.map((c) => ({ groups: [itemRows(lastDistillEval(c)!.distill)] }));
    const student = twoLevelBootstrap(units, scoreOf(0), { clip: [0, 1] });
    const teacher = twoLevelBootstrap(units, scoreOf(1), { clip: [0, 1] });
    if (share === 0) {
      if (part !== 'repeats') sentences.push(`The student of the gold teacher scored ${formatScore(student)} exact match on ${items} held-out ${spec.target} items.`);
      continue;
    }
    if (part === 'repeats') {
      sentences.push(repeatsSentence(spec, cells, share, units, `With the ${teacherLabel(share)}, on the items it got wrong`));
      continue;
    }
    let text = `With the ${teacherLabel(share)} (${formatScore(teacher)} exact match on the held-out items), the student scored ${formatScore(student)}`;
    if (shares.includes(0)) text += `: against the gold teacher’s student ${effect(studentDropAt(spec, cells, share), 'higher', 'lower')}`;
    text += `; against its own teacher ${effect(studentOverTeacherAt(spec, cells, share), 'higher', 'lower')}.`;
    if (part === 'all') text += ` ${repeatsSentence(spec, cells, share, units, 'On the items this teacher got wrong')}`;
    sentences.push(text);
  }
  sentences.push(seedsNote(seeds));
  return sentences.join(' ');
}
