// Inheritance counts on hand-built rows: exact match of teacher and student, repeats of the teacher's errors, the shuffled chance baseline.
import { describe, expect, it } from 'vitest';
import { inheritanceCounts, sameAnswer } from './inheritance';

describe('inheritanceCounts', () => {
  it('counts by hand', () => {
    const rows = [
      { reference: 'A', teacher: 'A', student: 'A' }, // both right
      { reference: 'A', teacher: 'B', student: 'B' }, // teacher wrong, student repeats
      { reference: 'A', teacher: 'C', student: 'B' }, // teacher wrong, student wrong differently
      { reference: 'D', teacher: 'E', student: 'D' }, // teacher wrong, student right
      { reference: 'D', teacher: 'D ', student: 'F' }, // teacher right (white space ignored), student wrong
    ];
    const c = inheritanceCounts(rows);
    expect(c).toMatchObject({ items: 5, teacherCorrect: 2, studentCorrect: 2, agree: 2, teacherWrong: 3, repeats: 1 });
    // Chance: row 2 (ref A, student B) vs peer row 3's teacher C → 0; row 3 (student B) vs row 2's teacher B → 1;
    // row 4 (ref D) has no same-reference peer, so all others: teachers B, C vs student D → 0. Sum 1.
    expect(c.chanceRepeats).toBeCloseTo(1, 12);
  });

  it('has nothing to repeat when the teacher is always right', () => {
    const c = inheritanceCounts([{ reference: 'x', teacher: 'x', student: 'y' }]);
    expect(c.teacherWrong).toBe(0);
    expect(c.repeats).toBe(0);
    expect(c.chanceRepeats).toBe(0);
    expect(sameAnswer(' a\n', 'a')).toBe(true);
  });
});
