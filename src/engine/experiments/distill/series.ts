// Distillation chart data from stored cells: per teacher share, student and teacher exact match, and the student's repeats of the teacher's errors against their chance level; every point a mean over seeds with a two-level interval (seeds, then held-out items).
import { differenceOf, scoreOf, twoLevelBootstrap, type Estimate, type SeedItems, type SeedStatistic } from '../resample';
import { mainKnob, type SeriesPoint } from '../series';
import type { CellEval, DistillEval, ExperimentSpec, StoredCell } from '../types';

export const STUDENT_SERIES = 'student';
export const TEACHER_SERIES = 'teacher';
export const REPEATS_SERIES = 'repeats the teacher’s error';
export const CHANCE_SERIES = 'gives that error where the teacher was right (chance level)';

/** "gold" for share 0, else "20% wrong". */
export function teacherLabel(share: number): string {
  return share === 0 ? 'gold teacher' : `teacher ${Math.round(share * 100)}% wrong`;
}

/** The last eval of a cell that stored its answers. */
export function lastDistillEval(cell: StoredCell): (CellEval & { distill: DistillEval }) | undefined {
  return cell.evals.filter((e): e is CellEval & { distill: DistillEval } => !!e.distill).at(-1);
}

/** The teacher shares (the first axis's values) that have finished cells, in the axis's order. */
export function sharesOf(spec: ExperimentSpec, cells: readonly StoredCell[]): number[] {
  const knob = mainKnob(spec);
  return (spec.axes[0]?.values ?? [spec.fixed[knob] as number]).filter((v) => cellsOf(spec, cells, v).length > 0);
}

/** A share's finished cells in seed order (the bootstrap draws seeds by position: one canonical order for page and script). */
export function cellsOf(spec: ExperimentSpec, cells: readonly StoredCell[], share: number): StoredCell[] {
  const knob = mainKnob(spec);
  return cells.filter((c) => c.settings[knob] === share && lastDistillEval(c)).sort((a, b) => a.seed - b.seed);
}

/**
 * One seed's rows, one per held-out item: [student right, teacher right, teacher wrong, student repeats the teacher's
 * wrong answer, teacher right and student gives the teacher's would-be error]. Ratios of column means then give the
 * repeat rate (col 3 ÷ col 2) and its chance level (col 4 ÷ col 1).
 */
export function itemRows(point: DistillEval): number[][] {
  return point.references.map((ref, i) => {
    const teacherRight = point.teacher[i] === ref ? 1 : 0;
    return [
      point.student[i] === ref ? 1 : 0,
      teacherRight,
      1 - teacherRight,
      teacherRight === 0 && point.student[i] === point.teacher[i] ? 1 : 0,
      teacherRight === 1 && point.student[i] === point.teacherWrong[i] ? 1 : 0,
    ];
  });
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : 0);
export const repeatRate: SeedStatistic = (m) => ratio(m[0][3], m[0][2]);
export const chanceRate: SeedStatistic = (m) => ratio(m[0][4], m[0][1]);
/** Repeats beyond chance: the repeat rate minus the chance level, in the same seed and item draw. */
export const excessRepeats: SeedStatistic = (m) => repeatRate(m) - chanceRate(m);

function unitsOf(cells: readonly StoredCell[]): SeedItems[] {
  return cells.map((c) => ({ groups: [itemRows(lastDistillEval(c)!.distill)] }));
}

function point(series: string, x: number, cells: StoredCell[], estimate: Estimate, statistic: SeedStatistic): SeriesPoint {
  const values = unitsOf(cells).map((u) => statistic([columnMeans(u.groups[0])]));
  return { series, x, values, runIds: cells.map((c) => c.runId), ...estimate };
}

function columnMeans(rows: number[][]): number[] {
  const out = new Array<number>(rows[0]?.length ?? 0).fill(0);
  for (const row of rows) row.forEach((v, c) => (out[c] += v / rows.length));
  return out;
}

/** Student and teacher exact match on the held-out items, per teacher share. */
export function accuracyByShare(spec: ExperimentSpec, cells: readonly StoredCell[]): SeriesPoint[] {
  return sharesOf(spec, cells).flatMap((share) => {
    const own = cellsOf(spec, cells, share);
    const units = unitsOf(own);
    return [
      point(STUDENT_SERIES, share, own, twoLevelBootstrap(units, scoreOf(0), { clip: [0, 1] }), scoreOf(0)),
      point(TEACHER_SERIES, share, own, twoLevelBootstrap(units, scoreOf(1), { clip: [0, 1] }), scoreOf(1)),
    ];
  });
}

/** Per share with teacher errors: how often the student repeats them, and the chance level beside it. */
export function repeatsByShare(spec: ExperimentSpec, cells: readonly StoredCell[]): SeriesPoint[] {
  return sharesOf(spec, cells)
    .filter((share) => share > 0)
    .flatMap((share) => {
      const own = cellsOf(spec, cells, share);
      const units = unitsOf(own);
      return [
        point(REPEATS_SERIES, share, own, twoLevelBootstrap(units, repeatRate, { clip: [0, 1] }), repeatRate),
        point(CHANCE_SERIES, share, own, twoLevelBootstrap(units, chanceRate, { clip: [0, 1] }), chanceRate),
      ];
    });
}

/** Repeat rate minus chance level at one share, over seeds and items. */
export function excessAt(spec: ExperimentSpec, cells: readonly StoredCell[], share: number): Estimate {
  return twoLevelBootstrap(unitsOf(cellsOf(spec, cells, share)), excessRepeats, { clip: [-1, 1] });
}

/**
 * Student exact match at `share` minus the gold teacher's student, paired by seed and item (the same prompts and
 * held-out items): only seeds with both cells count.
 */
export function studentDropAt(spec: ExperimentSpec, cells: readonly StoredCell[], share: number): Estimate {
  const gold = cellsOf(spec, cells, 0);
  const units: SeedItems[] = cellsOf(spec, cells, share).flatMap((c) => {
    const g = gold.find((x) => x.seed === c.seed);
    if (!g) return [];
    const a = itemRows(lastDistillEval(g)!.distill);
    const b = itemRows(lastDistillEval(c)!.distill);
    return [{ groups: [a.map((row, i) => [row[0], b[i][0]])] }];
  });
  return twoLevelBootstrap(units, differenceOf(0, 1), { clip: [-1, 1] });
}

/** Student minus teacher exact match at one share (positive: the student beat its teacher). */
export function studentOverTeacherAt(spec: ExperimentSpec, cells: readonly StoredCell[], share: number): Estimate {
  return twoLevelBootstrap(unitsOf(cellsOf(spec, cells, share)), differenceOf(1, 0), { clip: [-1, 1] });
}
