// What an experiment's numbers depend on beyond its settings: the base weights' bytes and precision, the data generator, the eval.
import { sha256OfBytes } from '../hub/hash';
import type { BaseWeightPrecision } from '../train/base-weights';
import { GENERATOR_VERSION } from '../world';

/**
 * Version of the experiment eval (probe items, their split and leak filters, scoring, per-item records). Bump it with
 * any change that moves a cell's numbers for the same weights and settings: stored cells of another version are
 * never reused.
 */
export const EXPERIMENT_EVAL_VERSION = 'experiment-eval/3';
// experiment-eval/3: items from the reported eval role (seed 3003), phrase-split tickets, per-item seen-phrase flags.

/**
 * Version of the Leakage measurement (its data, canaries, controls, exposure and attacks): part of a Leakage
 * experiment's id, so cells measured another way are never reused.
 */
export const LEAKAGE_EVAL_VERSION = 'leakage-eval/1';

/** Version of the Cohorts measurement (cohort forms, their assignment, balancing, weights, per-cohort probes). */
export const COHORT_EVAL_VERSION = 'cohort-eval/1';

/**
 * Version of the Embedding gap measurement (pairs, test tickets, ranking loss, metrics), for tiny-world-retrieval/1
 * (a test pins the pair: bump this with RETRIEVAL_TASK_VERSION).
 */
export const EMBEDDING_GAP_VERSION = 'embedding-gap/1';

/** Version of the Capability ceiling measurement (question wrapper, entity split, chance rule, its three probes). */
export const CEILING_EVAL_VERSION = 'ceiling-eval/1';

/** Every experiment cell trains on the exact f32 base (the f16 base is a speed option of the Train page). */
export const EXPERIMENT_BASE_PRECISION: BaseWeightPrecision = 'f32';

/** The identity of the base and code a cell was measured with; stored in every cell. */
export interface CellProvenance {
  base: string;
  /** sha-256 of the base's model.safetensors (or of a seed base's recipe). */
  weightsSha256: string;
  precision: BaseWeightPrecision;
  generator: string;
  eval: string;
}

export function provenanceOf(base: string, weightsSha256: string): CellProvenance {
  return { base, weightsSha256, precision: EXPERIMENT_BASE_PRECISION, generator: GENERATOR_VERSION, eval: EXPERIMENT_EVAL_VERSION };
}

/** Whether a stored cell was measured with exactly this provenance (a cell without one predates it: stale). */
export function sameProvenance(a: CellProvenance | undefined, b: CellProvenance): boolean {
  return a !== undefined && a.base === b.base && a.weightsSha256 === b.weightsSha256 && a.precision === b.precision && a.generator === b.generator && a.eval === b.eval;
}

/** The recipe of a seed-initialised base stands in for its weights' bytes (the same recipe builds the same weights). */
export function seedBaseSha256(id: string, recipe: unknown): Promise<string> {
  return sha256OfBytes(new TextEncoder().encode(JSON.stringify([id, recipe])));
}

export function weightsSha256(bytes: Uint8Array): Promise<string> {
  return sha256OfBytes(bytes);
}
