// Refuses, before anything trains, an experiment whose training data would reach its eval items or exceed its pools.
import { cellExamples } from './cell-data';
import { cohortExamples } from './cohorts/data';
import { expandCells } from './cells';
import { leakageData } from './leakage/data';
import { checkDriftData } from './judge-drift/cell';
import { checkEmbeddingGapCell } from './embedding-gap/plan';
import { evalTexts, experimentSuite } from './suite';
import type { ExperimentSpec } from './types';
import { checkCeilingData } from './ceiling/spec';

/**
 * Builds every cell's training data against the experiment's eval items: throws the first ExperimentSpecError
 * (target items that are eval items, a replay share the pool cannot fill without eval items, sizes beyond a pool).
 */
export function checkExperimentSpec(spec: ExperimentSpec): void {
  if (spec.leakage) {
    for (const cell of expandCells(spec)) leakageData(cell.settings, cell.seed, spec.leakage);
    return;
  }
  if (spec.embeddingGap) {
    for (const cell of expandCells(spec)) checkEmbeddingGapCell(cell.settings);
    return;
  }
  if (spec.ceiling) {
    for (const cell of expandCells(spec)) checkCeilingData(cell.seed, spec.ceiling.trainEntities);
    return;
  }
  if (spec.judgeDrift) {
    for (const cell of expandCells(spec)) checkDriftData(spec.judgeDrift, cell.seed, spec.evalItems);
    return;
  }
  const evalSet = evalTexts(experimentSuite(spec));
  for (const cell of expandCells(spec)) {
    if (cell.settings.cohorts) cohortExamples(cell.settings, cell.seed, spec.target, evalSet);
    else cellExamples(cell.settings, cell.seed, spec.target, evalSet);
  }
}
