// What a preset does, counted from its spec: runs, training steps (examples per step) and eval passes (one pass scores every probe once).
import { expandCells } from './cells';
import { isEvalStep } from './cell-steps';
import { leakageTemplates } from './leakage/data';
import { PRESET_IDS, presetSpec } from './presets';
import type { ExperimentSpec, PresetId } from './types';

export interface PresetWork {
  runs: number;
  /** Training steps over every run. */
  steps: number;
  /** Examples per step (the preset's batch size; runs of one preset share it). */
  batchSize: number;
  /** Eval points over every run (step 0 counts where the run scores the base). */
  evalPasses: number;
  /** Probes scored at each eval point, and items per probe. */
  probes: number;
  evalItems: number;
  /**
   * The matched-gain preset's dev-probe checks (one probe each), at most: its runs stop at the target, so its steps,
   * eval points at the stop and checks are upper bounds (every run to its cap).
   */
  devChecks?: number;
  /**
   * The Leakage preset's exact exposure rankings (one per distinct canary prefix and checkpoint after step 0; canaries
   * sharing a prefix share one scoring of the candidates) and greedy extractions (one per canary or control and checkpoint).
   */
  exposureRankings?: number;
  extractions?: number;
}

/** The work of one spec at its size (the numbers the laptop-GPU estimate multiplies by a step's and a pass's cost). */
export function workOf(spec: ExperimentSpec, probes: number): PresetWork {
  const cells = expandCells(spec);
  let steps = 0;
  let evalPasses = 0;
  let devChecks = 0;
  let exposureRankings = 0;
  let extractions = 0;
  for (const cell of cells) {
    const n = cell.settings.steps;
    steps += n;
    if (spec.matched) devChecks += Math.floor(n / spec.matched.checkEvery);
    // A cell with no steps (a Prompting cell: the base asked with shots) is scored once.
    const scored = n === 0 ? 1 : (spec.evalEvery > 0 || spec.evalEarly.every > 0 || spec.leakage || spec.embeddingGap || spec.matched ? 1 : 0) + Array.from({ length: n }, (_, i) => i + 1).filter((s) => isEvalStep(s, n, spec.evalEvery, spec.evalEarly)).length;
    evalPasses += scored;
    if (spec.leakage) {
      const templates = leakageTemplates(spec.leakage, cell.seed);
      exposureRankings += (scored - 1) * new Set(templates).size;
      extractions += (scored - 1) * templates.length;
    }
  }
  return { runs: cells.length, steps, batchSize: spec.fixed.batchSize, evalPasses, probes, evalItems: spec.evalItems, ...(spec.matched ? { devChecks } : {}), ...(spec.leakage ? { exposureRankings, extractions } : {}) };
}

/** Probes per eval pass of a preset: the target (once per cohort on Cohorts), the adjacent skills, held-out text with them. */
function probeCount(spec: ExperimentSpec): number {
  if (spec.leakage || spec.embeddingGap) return 1;
  // The Capability ceiling: FACT and the question on the held-out facts, the question on the trained ones.
  if (spec.ceiling) return 3;
  const target = spec.fixed.cohorts ? Object.keys(spec.fixed.cohorts).length : 1;
  return target + spec.adjacent.length + (spec.adjacent.length ? 1 : 0);
}


/** Every preset's work at its default size. */
export function presetWork(): Record<PresetId, PresetWork> {
  return Object.fromEntries(PRESET_IDS.map((id) => [id, workOf(presetSpec(id), probeCount(presetSpec(id)))])) as Record<PresetId, PresetWork>;
}
