// Judge grading and preference pairs on a hand-made graded set whose counts and shares are worked out by hand.
import { describe, expect, it } from 'vitest';
import { gradeJudgements, type GradedPair } from './judge-grading';
import { preferencePairs } from './judge-pairs';

const v = (firstOrder: 'A' | 'B' | 'tie', swappedOrder: 'A' | 'B' | 'tie') => ({ firstOrder, swappedOrder, consistent: firstOrder === swappedOrder, winner: firstOrder === swappedOrder ? firstOrder : ('tie' as const) });
const pair = (base: string, tuned: string, judgement: GradedPair['judgement'], reference = 'ok'): GradedPair => ({
  group: 'S', prompt: `q ${base} ${tuned}`, reference, base, tuned, baseCorrect: base === reference, tunedCorrect: tuned === reference, judgement,
});

// 1: tuned right, judge picks tuned (agrees); 2: base right, judge picks tuned (disagrees); 3: tuned right, orders disagree (tie, ½);
// 4: both wrong, judge picks base; 5: identical right answers (tie, not decisive).
const graded = [pair('no', 'ok', v('B', 'B')), pair('ok', 'no', v('B', 'B')), pair('x', 'ok', v('A', 'B')), pair('x', 'y', v('A', 'A')), pair('ok', 'ok', v('tie', 'tie'))];

describe('gradeJudgements', () => {
  it('counts wins and ties, and computes win rate, swap agreement and agreement with exact match by hand', () => {
    const g = gradeJudgements(graded);
    expect([g.pairs, g.tunedWins, g.baseWins, g.ties, g.identical]).toEqual([5, 2, 1, 2, 1]);
    expect(g.winRate.value).toBeCloseTo((2 + 0.5 * 2) / 5, 12); // 0.6
    expect(g.swapAgreement.value).toBeCloseTo(4 / 5, 12);
    // Decisive pairs (exactly one right): 1 (agree), 2 (disagree), 3 (tie ½) → 1.5 / 3.
    expect(g.exactAgreement!.value).toBeCloseTo(0.5, 12);
    expect(g.exactAgreement!.n).toBe(3);
    expect(g.exactMatch!.base.value).toBeCloseTo(2 / 5, 12);
    expect(g.exactMatch!.tuned.value).toBeCloseTo(3 / 5, 12);
    // Exact-metric win rate: tuned wins 1 and 3, base wins 2, ties 4 and 5 → (2 + 1) / 5.
    expect(g.exactWinRate!.value).toBeCloseTo(0.6, 12);
    for (const s of [g.winRate, g.swapAgreement, g.exactAgreement!]) {
      expect(s.ci[0]).toBeLessThanOrEqual(s.value);
      expect(s.ci[1]).toBeGreaterThanOrEqual(s.value);
      expect(s.ci[1] - s.ci[0]).toBeGreaterThan(0);
    }
  });

  it('has no exact agreement without references or decisive pairs', () => {
    const g = gradeJudgements(graded.map(({ baseCorrect: _b, tunedCorrect: _t, reference: _r, ...p }) => p));
    expect(g.exactAgreement).toBeNull();
    expect(g.exactMatch).toBeNull();
    expect(gradeJudgements([graded[4]]).exactAgreement).toBeNull();
  });
});

describe('preferencePairs', () => {
  it('from the judge: the winner over the loser, ties left out', () => {
    const rows = preferencePairs(graded, 'judge', '\n');
    expect(rows.map((r) => [r.chosen, r.rejected])).toEqual([['ok\n', 'no\n'], ['no\n', 'ok\n'], ['x\n', 'y\n']]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(rows[0]).toMatchObject({ kind: 'preference', prompt: 'q no ok', cohort: 'S', tags: ['judge'] });
  });

  it('from the exact metric: the reference over each distinct wrong answer', () => {
    const rows = preferencePairs([...graded, pair('z', 'z', v('tie', 'tie'))], 'exact-match', '\n');
    expect(rows.map((r) => [r.chosen, r.rejected])).toEqual([['ok\n', 'no\n'], ['ok\n', 'no\n'], ['ok\n', 'x\n'], ['ok\n', 'x\n'], ['ok\n', 'y\n'], ['ok\n', 'z\n']]);
    expect(rows.every((r) => r.tags![0] === 'exact-match')).toBe(true);
  });
});
