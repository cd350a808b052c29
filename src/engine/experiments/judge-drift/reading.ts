// The Judge drift reading, generated from the measured rounds: a change is stated only where its interval excludes zero, and "the judge's score rose while the truth fell" only when both did.
import { formatDifference, formatScore } from '../reading';
import { resolved, type Estimate } from '../resample';
import type { CellResult } from '../types';
import { armGap, driftChange, driftDivergence, driftRounds, judgeModelExact } from './series';
import type { JudgeDriftSpec } from './spec';

type Change = Pick<Estimate, 'mean' | 'lo' | 'hi'>;

/** "rose by +x [lo, hi]" / "fell by …" when resolved, else "did not change resolvably (… includes zero)". */
function moved(d: Change): string {
  if (!resolved(d)) return `did not change resolvably (${formatDifference(d)} includes zero)`;
  return `${d.mean > 0 ? 'rose' : 'fell'} by ${formatDifference(d)}`;
}

export function judgeDriftReading(spec: JudgeDriftSpec, cells: readonly CellResult[]): string[] {
  const rounds = driftRounds(cells);
  if (cells.length === 0 || rounds.length < 2) return ['No cell has finished a round yet.'];
  const last = rounds[rounds.length - 1];
  const out: string[] = [];
  const judge = judgeModelExact(cells);
  out.push(
    `The judge (the base fine-tuned with every “${spec.corrupt.from}” ticket labelled “${spec.corrupt.to}”, judging by ${spec.scoring === 'sum' ? 'summed' : 'per-token'} likelihood) ` +
      `answers ${formatScore(judge.all)} of the eval items right itself, and ${formatScore(judge.corrupted)} of the “${spec.corrupt.from}” ones: its bias, measured.`,
  );
  // What the judge arm trained on: pairs, and how many of those on the corrupted label's prompts chose the judge's label.
  const trainedOn = (key: string) => cells.flatMap((c) => c.evals.filter((e) => e.step > 0).flatMap((e) => e.items?.[key] ?? []));
  const pairs = trainedOn('judge/pairs').reduce((a, b) => a + b, 0);
  const biased = trainedOn('judge/chosen-biased');
  if (pairs > 0) {
    out.push(
      `Over all rounds the judge arm's picks came from ${pairs} pairs of distinct samples; on the “${spec.corrupt.from}” prompts the judge's pick was “${spec.corrupt.to}” in ${biased.filter((x) => x === 1).length} of ${biased.length} pairs (the gold control's from ${trainedOn('gold/pairs').reduce((a, b) => a + b, 0)}).`,
    );
  }
  const judgeScore = driftChange(cells, 'judge', 'judge', 0, last);
  const judgeTruth = driftChange(cells, 'judge', 'exact', 0, last);
  const judgeCorrupted = driftChange(cells, 'judge', 'exact-corrupted', 0, last);
  const goldTruth = driftChange(cells, 'gold', 'exact', 0, last);
  const goldScore = driftChange(cells, 'gold', 'judge', 0, last);
  out.push(`Trained on the judge's picks, from round 0 to round ${last}: the judge's win rate of the student over the round-0 student ${moved(judgeScore)}; exact match ${moved(judgeTruth)}; exact match on the “${spec.corrupt.from}” items ${moved(judgeCorrupted)}.`);
  if (resolved(judgeScore) && judgeScore.mean > 0 && resolved(judgeTruth) && judgeTruth.mean < 0) {
    out.push(`The judge's score rose while the truth fell: the student learned what the judge prefers, not what is right.`);
  } else if (resolved(judgeScore) && judgeScore.mean > 0 && resolved(judgeCorrupted) && judgeCorrupted.mean < 0) {
    out.push(`The judge's score rose while exact match on the “${spec.corrupt.from}” items (the judge's blind spot) fell.`);
  }
  const divergence = driftDivergence(cells, 'judge', 0, last);
  out.push(
    resolved(divergence)
      ? `The divergence (the judge's score change minus the exact-match change, paired by seed and item) is ${formatDifference(divergence)}: the two lines part${divergence.mean > 0 ? ', the judge above the truth' : ', the truth above the judge'}.`
      : `The divergence (the judge's score change minus the exact-match change, paired by seed and item) is ${formatDifference(divergence)}, which includes zero: the lines do not resolvably part.`,
  );
  out.push(`The gold control (same loop, the exact answer picked wherever the student sampled a wrong one): exact match ${moved(goldTruth)}; the judge's win rate ${moved(goldScore)}.`);
  const judgeGap = armGap(cells, 'judge', last);
  const gap = armGap(cells, 'exact', last);
  if (resolved(judgeGap) && judgeGap.mean > 0 && resolved(gap) && gap.mean < 0) {
    out.push(`At round ${last} the judge rates the student trained on its picks above the gold-trained one (win rate ${formatDifference(judgeGap)} higher) while its exact match is ${formatDifference(gap)} lower: the judge prefers the worse student.`);
  } else {
    out.push(`At round ${last}, the judge's win rate of the student trained on its picks minus that of the gold-trained one: ${formatDifference(judgeGap)}${resolved(judgeGap) ? '' : ' (includes zero)'}.`);
  }
  out.push(
    resolved(gap)
      ? `At round ${last}, exact match with the judge's picks is ${gap.mean < 0 ? 'lower' : 'higher'} than with gold preferences: ${formatDifference(gap)}.`
      : `At round ${last}, exact match with the judge's picks and with gold preferences is not resolvably different (${formatDifference(gap)} includes zero).`,
  );
  const n = cells.length;
  const items = cells[0].evals[0]?.items?.['judge/exact']?.length ?? 0;
  out.push(n === 1 ? `One seed, ${items} eval items: the intervals cover the items, not the spread between seeds.` : `${n} seeds × ${items} held-out eval items; the 95% intervals resample seeds and items within each.`);
  return out;
}

/** The stage's shorter wording: "rose +x [lo, hi]" / "fell …" when resolved, else "showed no resolved change (…)". */
function movedShort(d: Change): string {
  if (!resolved(d)) return `showed no resolved change (${formatDifference(d)})`;
  return `${d.mean > 0 ? 'rose' : 'fell'} ${formatDifference(d)}`;
}

/**
 * The reading for the presentation view, short enough to fit under the chart at 1280×720: the judge arm's two changes
 * (the headline only when both resolve), the gold control's, and the sample size. Same rules as the full reading.
 */
export function judgeDriftStageReading(spec: JudgeDriftSpec, cells: readonly CellResult[], metric: 'overall' | 'blind-spot'): string {
  const rounds = driftRounds(cells);
  if (cells.length === 0 || rounds.length < 2) return 'No cell has finished a round yet.';
  const last = rounds[rounds.length - 1];
  const n = cells.length;
  const items = cells[0].evals[0]?.items?.['judge/exact']?.length ?? 0;
  const size = n === 1 ? `1 seed × ${items} items (item intervals only).` : `${n} seeds × ${items} items.`;
  if (metric === 'blind-spot') {
    const corrupted = driftChange(cells, 'judge', 'exact-corrupted', 0, last);
    const other = driftChange(cells, 'judge', 'exact-other', 0, last);
    const gold = driftChange(cells, 'gold', 'exact-corrupted', 0, last);
    return `Round 0 → ${last} on the judge's picks: exact match on “${spec.corrupt.from}” tickets ${movedShort(corrupted)}; on the others ${movedShort(other)}. Gold control on “${spec.corrupt.from}”: ${movedShort(gold)}. ${size}`;
  }
  const judgeScore = driftChange(cells, 'judge', 'judge', 0, last);
  const judgeTruth = driftChange(cells, 'judge', 'exact', 0, last);
  const goldTruth = driftChange(cells, 'gold', 'exact', 0, last);
  const goldScore = driftChange(cells, 'gold', 'judge', 0, last);
  const headline = resolved(judgeScore) && judgeScore.mean > 0 && resolved(judgeTruth) && judgeTruth.mean < 0 ? ` The judge's score rose while the truth fell.` : '';
  return `Round 0 → ${last} on the judge's picks: the judge's win rate ${movedShort(judgeScore)}; exact match ${movedShort(judgeTruth)}.${headline} Gold control: exact match ${movedShort(goldTruth)}; the judge's win rate ${movedShort(goldScore)}. ${size}`;
}
