// Expands an experiment spec into its cells (grid of axis values × extra cells × seeds) with stable keys and an id.
import { CEILING_EVAL_VERSION, COHORT_EVAL_VERSION, EMBEDDING_GAP_VERSION, LEAKAGE_EVAL_VERSION, provenanceOf } from './identity';
import type { Cell, CellSettings, ExperimentSpec, KnobName } from './types';
import { PROMPTING_VERSION, promptingGrid } from './prompting/spec';

const SETTING_ORDER: (keyof CellSettings)[] = ['trainSize', 'labelNoise', 'addedSize', 'addedKind', 'addedNoise', 'replay', 'steps', 'rank', 'lr', 'batchSize'];

/** A short, stable name of a cell's settings and seed, e.g. "trainSize=400 … batchSize=16 seed=1". */
export function cellKey(settings: CellSettings, seed: number): string {
  // The Cohorts preset's settings are appended only where they exist, so other presets keep their stored cells' keys.
  const cohorts = settings.cohorts ? [`cohorts=${cohortsText(settings.cohorts)}`, `balance=${settings.balance}`, `reweight=${settings.reweight}`] : [];
  // A schedule likewise only where a preset sets one.
  const schedule = settings.schedule ? [`schedule=${settings.schedule}`] : [];
  // Shots likewise only on the Prompting preset, and the base only on the Capability ceiling preset (its cells of different bases differ only there).
  const shots = settings.shots !== undefined ? [`shots=${settings.shots}`] : [];
  const base = settings.base !== undefined ? [`base=${settings.base}`] : [];
  return [...SETTING_ORDER.map((k) => `${k}=${settings[k]}`), ...cohorts, ...schedule, ...shots, ...base, `seed=${seed}`].join(' ');
}

/** "us:0.95,caps:0.05": cohort shares in their order (keys and links). */
export function cohortsText(shares: Record<string, number>): string {
  return Object.entries(shares).map(([c, s]) => `${c}:${s}`).join(',');
}

function withKnob(settings: CellSettings, knob: KnobName, value: number): CellSettings {
  return { ...settings, [knob]: value };
}

/** Every distinct cell of the spec, grid first, in seed-major order so one full pass over seed 1 comes first. */
export function expandCells(spec: ExperimentSpec): Cell[] {
  let grid: CellSettings[] = [spec.fixed];
  // The Prompting preset's axes are two arms, not a grid (./prompting/spec).
  if (spec.prompting) grid = promptingGrid(spec);
  else for (const axis of spec.axes) grid = grid.flatMap((s) => axis.values.map((v) => withKnob(s, axis.knob, v)));
  // The Capability ceiling preset: the base is its structural axis, outermost after the seed (one pass over the bases per seed).
  const bases = spec.ceiling?.bases;
  if (bases) grid = bases.flatMap((base) => grid.map((s) => ({ ...s, base })));
  const all = [...grid, ...spec.extraCells.map((extra) => ({ ...spec.fixed, ...extra }))];
  const cells: Cell[] = [];
  const seen = new Set<string>();
  for (let seed = 1; seed <= spec.seeds; seed++) {
    for (const settings of all) {
      const key = cellKey(settings, seed);
      if (seen.has(key)) continue;
      seen.add(key);
      cells.push({ key, settings, seed });
    }
  }
  return cells;
}

/**
 * A Capability ceiling sweep spans several bases, so its id holds none of their weights: each cell carries its own
 * base's sha-256 in its provenance, and a stored cell is reused only where that matches the base loaded for it now
 * (`sameProvenance`). The id covers the rest (generator, eval, split size, eval cadence), so adding a base reuses the others.
 */
export function ceilingExperimentId(spec: ExperimentSpec): string {
  const p = provenanceOf('', '');
  return `exp-ceiling-${fnv1a(JSON.stringify([p.precision, p.generator, p.eval, CEILING_EVAL_VERSION, spec.ceiling?.trainEntities, spec.evalEvery, spec.evalEarly]))}`;
}

/** FNV-1a 32-bit hex of a string (ids only, not security). */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Cells of different sweeps share results when everything a cell's numbers depend on agrees (the base's weights by
 * their sha-256 and precision, the generator and eval versions, the eval set, eval cadence (early evals too), probes), so the id covers
 * only those; adding a seed or an axis value reuses the stored cells, new weights or a new eval never do.
 */
export function experimentId(spec: ExperimentSpec, weightsSha256: string): string {
  if (spec.ceiling) return ceilingExperimentId(spec);
  const p = provenanceOf(spec.base, weightsSha256);
  const key: unknown[] = [p.base, p.weightsSha256, p.precision, p.generator, p.eval, spec.target, spec.adjacent, spec.evalEvery, spec.evalEarly, spec.evalItems];
  // Appended only for the Leakage preset, so the other presets keep the ids their stored cells were saved under.
  if (spec.leakage) key.push(LEAKAGE_EVAL_VERSION, spec.leakage);
  if (spec.distill) key.push('distill-eval/1', spec.distill);
  // Appended only for the Cohorts preset: its probes are the target in each cohort's surface form.
  if (spec.fixed.cohorts) key.push(COHORT_EVAL_VERSION, Object.keys(spec.fixed.cohorts));
  if (spec.judgeDrift) key.push('judge-drift/1', spec.judgeDrift);
  if (spec.embeddingGap) key.push(EMBEDDING_GAP_VERSION, spec.embeddingGap);
  if (spec.matched) key.push('matched-gain/1', spec.matched);
  if (spec.prompting) key.push(PROMPTING_VERSION);
  return `exp-${weightsSha256.slice(0, 12)}-${fnv1a(JSON.stringify(key))}`;
}
