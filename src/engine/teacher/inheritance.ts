// Student vs teacher vs ground truth: exact match of each, and how often the student repeats the teacher's specific wrong answers (vs a shuffled chance baseline).

/** Answers compared as Tiny World's exact match compares them: the text without surrounding white space. */
export function sameAnswer(a: string, b: string): boolean {
  return a.trim() === b.trim();
}

export interface TriRow {
  reference: string;
  teacher: string;
  student: string;
}

export interface InheritanceCounts {
  items: number;
  teacherCorrect: number;
  studentCorrect: number;
  /** Items where the student's answer equals the teacher's (right or wrong). */
  agree: number;
  /** Items the teacher got wrong. */
  teacherWrong: number;
  /** Of those, the student answered exactly the teacher's wrong answer. */
  repeats: number;
  /**
   * The repeats expected by chance: for each teacher-wrong item, the share of the other teacher-wrong items (with the
   * same reference answer when there are any, so a label skill compares like with like) whose teacher answer the
   * student's answer equals. Summed over items, so it compares with `repeats` directly.
   */
  chanceRepeats: number;
}

export function inheritanceCounts(rows: readonly TriRow[]): InheritanceCounts {
  const wrong = rows.filter((r) => !sameAnswer(r.teacher, r.reference));
  let chanceRepeats = 0;
  wrong.forEach((row, i) => {
    const others = wrong.filter((_, j) => j !== i);
    const peers = others.filter((o) => sameAnswer(o.reference, row.reference));
    const pool = peers.length > 0 ? peers : others;
    if (pool.length > 0) chanceRepeats += pool.filter((o) => sameAnswer(o.teacher, row.student)).length / pool.length;
  });
  return {
    items: rows.length,
    teacherCorrect: rows.length - wrong.length,
    studentCorrect: rows.filter((r) => sameAnswer(r.student, r.reference)).length,
    agree: rows.filter((r) => sameAnswer(r.student, r.teacher)).length,
    teacherWrong: wrong.length,
    repeats: wrong.filter((r) => sameAnswer(r.student, r.teacher)).length,
    chanceRepeats,
  };
}
