// Preset work counted by hand from the specs: runs × steps, and eval points (step 0, the cadence, the early evals, the last step).
import { expect, it } from 'vitest';
import { presetSpec } from './presets';
import { presetWork, workOf } from './work';

it('counts each preset\'s runs, steps and eval passes as its spec says', () => {
  const w = presetWork();
  // Saturation: 7 cells (5 clean sizes, the noisy and the narrow added pool) × 5 seeds × 300 steps, scored only at the end.
  expect(w.saturation).toEqual({ runs: 35, steps: 10500, batchSize: 16, evalPasses: 35, probes: 1, evalItems: 50 });
  // Cliff: 3 ranks × 5 seeds × 200 steps; per run step 0, every 5 up to 50 (10), then 75, 100, …, 200 (6): 17 evals.
  expect(w.cliff).toEqual({ runs: 15, steps: 3000, batchSize: 16, evalPasses: 15 * 17, probes: 8, evalItems: 20 });
  // Cliff with replay: 3 shares × 3 seeds, the cliff's cadence.
  expect(w['cliff-replay']).toEqual({ runs: 9, steps: 1800, batchSize: 16, evalPasses: 9 * 17, probes: 8, evalItems: 20 });
  // Cohorts: 3 run kinds × 3 seeds × 60 steps, scored at step 0 and the end, two cohort probes.
  expect(w.cohorts).toEqual({ runs: 9, steps: 540, batchSize: 16, evalPasses: 18, probes: 2, evalItems: 50 });
  // Embedding gap: 3 pair counts × 3 seeds × 40 steps, scored at step 0 (the base) and the end.
  expect(w['embedding-gap']).toEqual({ runs: 9, steps: 360, batchSize: 4, evalPasses: 18, probes: 1, evalItems: 200 });
  // Capability ceiling: 4 bases × 3 seeds × 300 steps of 8, scored at step 0 and the end, 3 probes (24 held-out facts each; the trained-entity probe has 36).
  expect(w.ceiling).toEqual({ runs: 12, steps: 3600, batchSize: 8, evalPasses: 24, probes: 3, evalItems: 24 });
  // Leakage: 2 methods × 3 seeds × 200 steps, measured at step 0 and every 20 steps; at each of the 10 trained
  // checkpoints 14 canaries and controls, each with its own prefix: 14 rankings and 14 greedy extractions.
  expect(w.leakage).toMatchObject({ runs: 6, steps: 1200, batchSize: 8, evalPasses: 6 * 11, exposureRankings: 6 * 10 * 14, extractions: 6 * 10 * 14 });
  // One shared prefix ("my account pin is {dddd}"): one scoring per checkpoint ranks every secret.
  const shared = workOf({ ...presetSpec('leakage'), leakage: { ...presetSpec('leakage').leakage!, template: 'my account pin is {dddd}' } }, 1);
  expect(shared).toMatchObject({ exposureRankings: 6 * 10, extractions: 6 * 10 * 14 });
});
