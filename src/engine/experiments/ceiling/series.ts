// Capability ceiling chart data from stored cells: per base, its component accuracy before fine-tuning (x), the target
// before and after (y), the paired gain, the trained entities' score and chance, each over seeds with a two-level interval.
import { TINY_WORLD_BASE_MODELS } from '../../world/base-models';
import type { Estimate } from '../resample';
import { finalEval, pairedDifference, scoreEstimate, type Difference } from '../series';
import type { CellEval, ExperimentSpec, StoredCell } from '../types';
import { chanceAccuracy, COMPONENT_PROBE, TARGET_PROBE, TRAIN_PROBE } from './spec';

/** One base's point: every estimate over its finished cells (seeds), each seed's items resampled within it. */
export interface CeilingPoint {
  base: string;
  /** Parameters of a shipped base (null for a base the app does not list, e.g. a test's seed model). */
  parameters: number | null;
  /** The base's FACT exact match on the held-out entities' facts, before fine-tuning (the chart's x). */
  component: Estimate;
  /** The question phrasing on the same held-out facts: before fine-tuning, after it (the chart's y), and the paired gain. */
  before: Estimate;
  after: Estimate;
  gain: Difference;
  /** The question phrasing on the trained entities' facts after fine-tuning: whether the format was learnt. */
  trained: Estimate;
  /** FACT on the held-out facts after fine-tuning (what the fine-tune did to the pretrained phrasing). */
  componentAfter: Estimate;
  /** Chance on the held-out facts (the trained entities' most frequent value per attribute), mean over the seeds. */
  chance: number;
  runIds: string[];
  steps: number;
}

/** "tiny-world-ctx256-440k (440k)": a base with its parameter count, as every chart label and sentence names it. */
export function baseLabel(base: string, parameters: number | null): string {
  if (parameters === null) return base;
  const k = parameters >= 1e6 ? `${(parameters / 1e6).toFixed(1)}M` : `${Math.round(parameters / 1000)}k`;
  return `${base} (${k} parameters)`;
}

export function baseParameters(base: string): number | null {
  return TINY_WORLD_BASE_MODELS.find((m) => m.id === base)?.parameters ?? null;
}

/** Cells grouped by base in the spec's order (bases without a finished cell are left out), each group in seed order. */
export function cellsByBase(spec: ExperimentSpec, cells: readonly StoredCell[]): [string, StoredCell[]][] {
  const order = spec.ceiling?.bases ?? [spec.base];
  return order
    .map((base): [string, StoredCell[]] => [base, cells.filter((c) => (c.settings.base ?? spec.base) === base && c.evals.length >= 2).sort((a, b) => a.seed - b.seed)])
    .filter(([, group]) => group.length > 0);
}

export function ceilingPoints(spec: ExperimentSpec, cells: readonly StoredCell[]): CeilingPoint[] {
  const trainEntities = spec.ceiling?.trainEntities ?? 0;
  return cellsByBase(spec, cells).map(([base, group]) => {
    const first: CellEval[] = group.map((c) => c.evals[0]);
    const last = group.map(finalEval);
    return {
      base,
      parameters: baseParameters(base),
      component: scoreEstimate(first, COMPONENT_PROBE),
      before: scoreEstimate(first, TARGET_PROBE),
      after: scoreEstimate(last, TARGET_PROBE),
      gain: pairedDifference(group.map((c, i) => ({ from: first[i], to: last[i] })), [TARGET_PROBE]),
      trained: scoreEstimate(last, TRAIN_PROBE),
      componentAfter: scoreEstimate(last, COMPONENT_PROBE),
      chance: group.reduce((s, c) => s + chanceAccuracy(c.seed, trainEntities), 0) / group.length,
      runIds: group.map((c) => c.runId),
      steps: Math.max(...last.map((e) => e.step)),
    };
  });
}
