// The Cohorts preset's chart as a slide: per-cohort exact match (and the overall score at the training shares) for the
// base before fine-tuning and each mitigation, with intervals; the reading and its regression warnings.
import * as Plot from '@observablehq/plot';
import { formatScore, type ExperimentSpec, type StoredCell } from '../../engine/experiments';
import { cohortReading } from '../../engine/experiments/cohorts/reading';
import { BASE_VARIANT, cohortPoints, cohortVariants, OVERALL_SERIES, type CohortPoint } from '../../engine/experiments/cohorts/series';
import type { Slide } from './slides';

function tip(p: CohortPoint): string {
  return `${p.variant} · ${p.series}: ${formatScore(p)} (${p.n} run${p.n === 1 ? '' : 's'})`;
}

export function cohortSlides(spec: ExperimentSpec, cells: StoredCell[]): Slide[] {
  const points = cohortPoints(spec, cells);
  const reading = cohortReading(spec, cells);
  const variants = [BASE_VARIANT, ...cohortVariants(cells).map((v) => v.label)].filter((v) => points.some((p) => p.variant === v));
  const series = [...new Set(points.map((p) => p.series))];
  return [
    {
      id: 'cohorts',
      title: `Cohorts: held-out exact match on ${spec.target} per cohort, before and after fine-tuning`,
      xLabel: 'run',
      reading: reading.text,
      warnings: reading.warnings,
      rows: points.map((p) => ({ series: p.series, x: p.variant, score: formatScore(p), n: p.n, runIds: p.runIds })),
      options: {
        height: 340,
        // One group per run kind (facet), one mark per cohort inside it; the overall score is drawn hollow.
        fx: { label: null, domain: variants, padding: 0.15 },
        x: { axis: null, domain: series, padding: 0.3 },
        y: { label: `exact match on ${spec.target}`, domain: [0, 1], grid: true },
        color: { legend: true, domain: series },
        marks: [
          Plot.frame({ strokeOpacity: 0.15 }),
          Plot.ruleX(points, { fx: 'variant', x: 'series', y1: 'lo', y2: 'hi', stroke: 'series', strokeWidth: 2 }),
          Plot.dot(points.filter((p) => p.series !== OVERALL_SERIES), { fx: 'variant', x: 'series', y: 'mean', stroke: 'series', fill: 'series', r: 5, title: tip }),
          Plot.dot(points.filter((p) => p.series === OVERALL_SERIES), { fx: 'variant', x: 'series', y: 'mean', stroke: 'series', fill: 'none', r: 5, strokeWidth: 2, title: tip }),
        ],
      },
    },
  ];
}
