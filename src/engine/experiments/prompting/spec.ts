// The Prompting vs fine-tuning preset's sweep: its two arms (k shots on the untouched base, LoRA on N examples) and what a cell records.
import type { CellSettings, ExperimentSpec } from '../types';

/** Version of the Prompting measurement (shots from the seed's pool, prompt token counts): part of the experiment id. */
export const PROMPTING_VERSION = 'prompting/1';

/** The preset's marker on a spec; the arms themselves are its two axes (shots, then fine-tuning sizes). */
export interface PromptingSpec {
  version: typeof PROMPTING_VERSION;
}

/** What a Prompting cell measured besides its scores: prompt tokens per eval item of the target, as the base's tokenizer counts them. */
export interface PromptingRun {
  /** Solved lines before each prompt (0 for a fine-tuned cell, which is asked zero-shot). */
  shots: number;
  /** Tokens of each target eval prompt with its shots, in eval-item order (the answer not counted). */
  promptTokens: number[];
  /** A fine-tuned cell's mean tokens per training example (prompt + completion); absent on prompting cells. */
  trainTokensPerExample?: number;
}

/** The values of the axis that varies `knob`, or [] when no axis does. */
function axisValues(spec: Pick<ExperimentSpec, 'axes'>, knob: 'shots' | 'trainSize'): number[] {
  return spec.axes.find((a) => a.knob === knob)?.values ?? [];
}

/** The two arms: shots k (axis 1) and fine-tuning sizes N (axis 2), each sorted and without repeats. */
export function promptingArms(spec: Pick<ExperimentSpec, 'axes'>): { shots: number[]; sizes: number[] } {
  const sorted = (v: number[]) => [...new Set(v)].sort((a, b) => a - b);
  return { shots: sorted(axisValues(spec, 'shots')), sizes: sorted(axisValues(spec, 'trainSize')) };
}

/** A prompting cell (the base untouched, k shots) rather than a fine-tuned one. */
export function isPromptCell(settings: Pick<CellSettings, 'trainSize'>): boolean {
  return settings.trainSize === 0;
}

/**
 * The cells of one seed, prompting first (seconds each), then fine-tuning: not the axes' grid (a fine-tuned model is
 * asked zero-shot, the prompted base is never trained), so k × N combinations are not run.
 */
export function promptingGrid(spec: Pick<ExperimentSpec, 'axes' | 'fixed'>): CellSettings[] {
  const { shots, sizes } = promptingArms(spec);
  return [
    ...shots.map((k) => ({ ...spec.fixed, trainSize: 0, steps: 0, shots: k })),
    ...sizes.map((n) => ({ ...spec.fixed, trainSize: n, shots: 0 })),
  ];
}
