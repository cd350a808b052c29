import { describe, expect, it } from 'vitest';
import type { RegressionAbilityResult } from '../../eval/regression-suite-compare';
import { curveRegressionSummary, type CurveCellRegression } from './regression';
import { curveId, type CurveSpec } from './spec';

const ability = (name: string, verdict: RegressionAbilityResult['verdict']): RegressionAbilityResult => ({
  ability: name, metric: 'exact_match', higherIsBetter: true, n: 10,
  before: { value: 1, ci: [1, 1] }, after: { value: 0.5, ci: [0.2, 0.8] }, delta: -0.5, deltaCi: [-0.8, -0.2], verdict,
});
const scored = (abilities: RegressionAbilityResult[]): CurveCellRegression => ({ suiteId: 's1', suiteName: 'keep', comparison: { beforeStep: 0, afterStep: 4, resamples: 2000, abilities } });

describe('curveRegressionSummary', () => {
  it('is null when no cell was scored on a suite', () => {
    expect(curveRegressionSummary([{ cellKey: 'a', seed: 1, curve: { fraction: 1 } }])).toBeNull();
  });

  it('orders runs by share then seed and lists each run that regressed or improved with its abilities', () => {
    const summary = curveRegressionSummary([
      { cellKey: 'f1s2', seed: 2, curve: { fraction: 1, regression: scored([ability('reverse', 'regressed'), ability('copy', 'unchanged')]) } },
      { cellKey: 'f.5s1', seed: 1, curve: { fraction: 0.5, regression: scored([ability('reverse', 'unchanged'), ability('copy', 'improved')]) } },
      { cellKey: 'f1s1', seed: 1, curve: { fraction: 1, regression: scored([ability('reverse', 'regressed'), ability('copy', 'regressed')]) } },
      { cellKey: 'old', seed: 3, curve: { fraction: 1 } },
    ])!;
    expect(summary.suiteName).toBe('keep');
    expect(summary.scored).toBe(3);
    expect(summary.rows.map((r) => r.label)).toEqual(['50% · seed 1', '100% · seed 1', '100% · seed 2']);
    expect(summary.regressed.map((r) => [r.label, r.abilities.map((a) => a.ability)])).toEqual([['100% · seed 1', ['reverse', 'copy']], ['100% · seed 2', ['reverse']]]);
    expect(summary.improved.map((r) => [r.label, r.abilities.map((a) => a.ability)])).toEqual([['50% · seed 1', ['copy']]]);
  });

  it('puts a data-quality sweep’s with-slice run before its without-slice run and keeps a scoring error', () => {
    const summary = curveRegressionSummary([
      { cellKey: 'w', seed: 1, curve: { fraction: 1, arm: 'without', regression: { suiteId: 's1', suiteName: 'keep', error: 'too long' } } },
      { cellKey: 'x', seed: 1, curve: { fraction: 1, arm: 'with', regression: scored([ability('reverse', 'unchanged')]) } },
    ])!;
    expect(summary.rows.map((r) => [r.label, r.error])).toEqual([['with slice · seed 1', undefined], ['without slice · seed 1', 'too long']]);
    expect(summary.regressed).toEqual([]);
  });
});

describe('curveId with a regression suite', () => {
  const spec = { datasetSha256: 'a'.repeat(64), fractions: [0.5, 1], seeds: 1, match: 'auto', hyper: { seed: 1, steps: 4, checkpointEvery: 4, evalEvery: 4 } } as unknown as CurveSpec;
  it('keeps the id of a curve without a suite and gives each suite its own', () => {
    const plain = curveId(spec, 'w'.repeat(64));
    expect(curveId(spec, 'w'.repeat(64), null)).toBe(plain);
    expect(curveId(spec, 'w'.repeat(64), undefined)).toBe(plain);
    const withSuite = curveId(spec, 'w'.repeat(64), 'suite-1');
    expect(withSuite).not.toBe(plain);
    expect(curveId(spec, 'w'.repeat(64), 'suite-2')).not.toBe(withSuite);
    expect(curveId(spec, 'w'.repeat(64), 'suite-1')).toBe(withSuite);
  });
});
