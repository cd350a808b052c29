// Compares suite results of model variants (base, few-shot base, fine-tuned): deltas and cohort-regression warnings.

import type { SuiteResult } from './types';

export interface ComparisonCell {
  value: number;
  ci: [number, number];
  /** Signed change against the baseline (positive = numerically higher). */
  delta: number;
  /** True when the change is an improvement (respects lower-is-better metrics). */
  improved: boolean;
  perCohortDelta: Record<string, number>;
}

export interface ComparisonRow {
  probe: string;
  metric: string;
  higherIsBetter: boolean;
  baseline: { value: number; ci: [number, number] };
  variants: Record<string, ComparisonCell>;
}

export interface ComparisonWarning {
  variant: string;
  probe: string;
  metric: string;
  cohort: string;
  message: string;
}

export interface Comparison {
  baselineName: string;
  rows: ComparisonRow[];
  warnings: ComparisonWarning[];
}

/**
 * Lines up every probe/metric of `baseline` with the same probe/metric in each variant. Warns when a variant
 * improves a metric overall while some cohort of it gets worse by more than `tolerance`.
 */
export function compareResults(
  baselineName: string,
  baseline: SuiteResult,
  variants: Record<string, SuiteResult>,
  tolerance = 0.01,
): Comparison {
  const rows: ComparisonRow[] = [];
  const warnings: ComparisonWarning[] = [];
  for (const probe of baseline.probes) {
    for (const [metric, base] of Object.entries(probe.metrics)) {
      const row: ComparisonRow = {
        probe: probe.probe,
        metric,
        higherIsBetter: base.higherIsBetter,
        baseline: { value: base.value, ci: base.ci },
        variants: {},
      };
      const better = (d: number) => (base.higherIsBetter ? d > 0 : d < 0);
      for (const [name, result] of Object.entries(variants)) {
        const other = result.probes.find((p) => p.probe === probe.probe)?.metrics[metric];
        if (!other) continue;
        const delta = other.value - base.value;
        const perCohortDelta: Record<string, number> = {};
        for (const [cohort, score] of Object.entries(other.perCohort)) {
          if (base.perCohort[cohort]) perCohortDelta[cohort] = score.value - base.perCohort[cohort].value;
        }
        row.variants[name] = { value: other.value, ci: other.ci, delta, improved: better(delta), perCohortDelta };
        if (better(delta)) {
          for (const [cohort, d] of Object.entries(perCohortDelta)) {
            const worse = base.higherIsBetter ? d < -tolerance : d > tolerance;
            if (worse) {
              warnings.push({
                variant: name,
                probe: probe.probe,
                metric,
                cohort,
                message: `${name} improves ${probe.probe} ${metric} overall (${fmt(delta)}) but cohort "${cohort}" regresses (${fmt(d)}).`,
              });
            }
          }
        }
      }
      rows.push(row);
    }
  }
  return { baselineName, rows, warnings };
}

function fmt(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
}
