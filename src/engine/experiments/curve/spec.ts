// A learning curve on the user's own data and model: its setup (fractions, seeds, settings), its cells, its stored identity.
import type { TrainHyperparameters } from '../../train/settings';
import { fnv1a } from '../cells';
import type { CurveSlice } from './slice';

/** Which match metric the held-out rows are scored with besides validation loss and token accuracy. */
export type CurveMatch = 'auto' | 'exact' | 'none';

/** Shares of the training split's distinct examples a learning curve trains on, by default (nested: each contains the last). */
export const DEFAULT_FRACTIONS = [0.125, 0.25, 0.5, 1];
export const DEFAULT_CURVE_SEEDS = 3;
/** The fewest held-out rows a curve's interval is computed from (below it an item-level resample says little). */
export const MIN_HELD_OUT = 20;
/** Held-out rows scored per cell at most (every cell scores the same ones). */
export const MAX_HELD_OUT = 200;
/** The fewest distinct training examples the smallest subset may hold. */
export const MIN_SUBSET = 2;

/** Version of the curve's scoring (held-out selection, per-item metrics); cells of another version are never reused. */
export const CURVE_EVAL_VERSION = 'curve-eval/1';

/** The model a curve fine-tunes, as the Train page names it; weightsKey identifies its weights (sha-256, or a seed recipe). */
export interface CurveModelRef {
  kind: 'tiny-gpt2' | 'tiny-world' | 'loaded';
  /** Tiny World folder or local model id, or the loaded model's repo label. */
  baseId?: string;
  name: string;
}

export interface CurveSpec {
  /** The dataset's content hash (sha-256 of its records): the only reference to the user's data, in the URL too. */
  datasetSha256: string;
  fractions: number[];
  /** Seeds 1..seeds: a seed fixes the subsets' order, the LoRA init and the batch order. */
  seeds: number;
  match: CurveMatch;
  /** The Train page's settings; `seed` is replaced by each cell's seed. */
  hyper: TrainHyperparameters;
  /** Data-quality sweep instead of a curve: each seed trains with and without this slice of the training data. */
  slice?: CurveSlice;
}

/** What one cell of a curve is: a share of the distinct training examples and a seed. */
export interface CurveCell {
  key: string;
  fraction: number;
  seed: number;
}

export function curveCellKey(fraction: number, seed: number): string {
  return `fraction=${fraction} seed=${seed}`;
}

/** Every cell, seed-major (one full curve for seed 1 comes first, so a short budget still shows a whole curve). */
export function expandCurveCells(spec: Pick<CurveSpec, 'fractions' | 'seeds'>): CurveCell[] {
  const fractions = [...new Set(spec.fractions)].sort((a, b) => a - b);
  const cells: CurveCell[] = [];
  for (let seed = 1; seed <= spec.seeds; seed++) for (const fraction of fractions) cells.push({ key: curveCellKey(fraction, seed), fraction, seed });
  return cells;
}

/**
 * The stored identity of a curve: everything a cell's numbers depend on except its fraction and seed — the data's
 * content hash, the base weights' hash, the settings (the seed left out), the match metric, the scoring version, and the
 * regression suite its cells are scored on (none: the same id as before suites existed). Adding a seed or a fraction
 * reuses stored cells; other data, weights, settings or suite never do (a cell scored on no suite, or another, is not
 * passed off as scored on this one).
 */
export function curveId(spec: CurveSpec, weightsKey: string, regressionSuiteId?: string | null): string {
  const { seed: _seed, checkpointEvery: _c, evalEvery: _e, probeItems: _p, ...settings } = spec.hyper;
  void _seed;
  void _c;
  void _e;
  void _p;
  const key: unknown[] = [spec.datasetSha256, weightsKey, settings, spec.match, CURVE_EVAL_VERSION];
  if (spec.slice) key.push(spec.slice);
  if (regressionSuiteId) key.push({ regressionSuite: regressionSuiteId });
  return `curve-${spec.datasetSha256.slice(0, 8)}-${weightsKey.slice(0, 8)}-${fnv1a(JSON.stringify(key))}`;
}

/** The settings of one cell's run: the curve's, with the cell's seed. */
export function cellHyper(spec: Pick<CurveSpec, 'hyper'>, seed: number): TrainHyperparameters {
  return { ...spec.hyper, seed, checkpointEvery: spec.hyper.steps, evalEvery: spec.hyper.steps, probeItems: 0 };
}

/** The weights key of a seed-initialised model (no weights file): its shape, init seed and vocabulary. */
export function seedModelKey(model: { n_embd: number; n_layer: number; n_head: number; n_positions: number; initSeed: number }, vocab: readonly string[]): string {
  const recipe = JSON.stringify([model.n_embd, model.n_layer, model.n_head, model.n_positions, model.initSeed, vocab]);
  return `${fnv1a(recipe)}${fnv1a(`${recipe}#`)}`;
}
