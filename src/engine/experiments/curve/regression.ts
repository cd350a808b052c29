// A sweep cell's regression suite result (base → this cell's fine-tune, per ability) and the sweep-wide flag built from its cells.
import type { RegressionAbilityResult, RegressionComparison } from '../../eval/regression-suite-compare';

/** Stored with the cell (additive): the suite it was scored on, the base-vs-fine-tune comparison, or why it could not be. */
export interface CurveCellRegression {
  suiteId: string;
  suiteName: string;
  comparison?: RegressionComparison;
  /** Why the fine-tune could not be scored, in words (the cell's own scores stand). */
  error?: string;
}

/** One run of a sweep on the suite: which cell, and each ability's change. */
export interface CurveRegressionRow {
  cellKey: string;
  /** "12.5% · seed 1" or "without slice · seed 2". */
  label: string;
  abilities: RegressionAbilityResult[];
  error?: string;
}

export interface CurveRegressionSummary {
  suiteName: string;
  rows: CurveRegressionRow[];
  /** Runs with at least one ability regressed beyond its interval, and the abilities each lost. */
  regressed: { label: string; abilities: RegressionAbilityResult[] }[];
  improved: { label: string; abilities: RegressionAbilityResult[] }[];
  /** Runs of the sweep scored on the suite. */
  scored: number;
}

interface CellLike {
  cellKey: string;
  seed: number;
  curve?: { fraction: number; arm?: 'with' | 'without'; regression?: CurveCellRegression };
}

function labelOf(cell: CellLike): string {
  const c = cell.curve!;
  return `${c.arm ? `${c.arm} slice` : `${+(c.fraction * 100).toFixed(2)}%`} · seed ${cell.seed}`;
}

/** The sweep's runs on the suite in display order (smallest share first, then seed; with before without), or null when none was scored. */
export function curveRegressionSummary(cells: readonly CellLike[]): CurveRegressionSummary | null {
  const scored = cells.filter((c) => c.curve?.regression);
  if (!scored.length) return null;
  const order = (c: CellLike) => (c.curve!.arm ? (c.curve!.arm === 'with' ? 0 : 1) : c.curve!.fraction);
  const sorted = [...scored].sort((a, b) => order(a) - order(b) || a.seed - b.seed);
  const rows = sorted.map((c) => {
    const r = c.curve!.regression!;
    return { cellKey: c.cellKey, label: labelOf(c), abilities: r.comparison?.abilities ?? [], ...(r.error && { error: r.error }) };
  });
  const pick = (verdict: RegressionAbilityResult['verdict']) =>
    rows.map((r) => ({ label: r.label, abilities: r.abilities.filter((a) => a.verdict === verdict) })).filter((r) => r.abilities.length > 0);
  return { suiteName: scored[0].curve!.regression!.suiteName, rows, regressed: pick('regressed'), improved: pick('improved'), scored: scored.length };
}
