// Experiment state ⇄ URL query: a link reproduces the setup, a reload keeps it. Unknown or bad values fall back to the preset.
import { SKILL_NAMES, type SkillName } from '../world';
import { presetSpec } from './presets';
import type { CellSettings, ExperimentSpec, KnobName, PresetId, SweepAxis } from './types';

const KNOBS: KnobName[] = ['trainSize', 'labelNoise', 'addedSize', 'steps', 'rank', 'lr', 'replay'];
const NUMERIC_SETTINGS: (keyof CellSettings)[] = ['trainSize', 'labelNoise', 'addedSize', 'addedNoise', 'replay', 'steps', 'rank', 'lr', 'batchSize'];

function axisText(axis: SweepAxis): string {
  return `${axis.knob}:${axis.values.join(',')}`;
}

function parseAxis(text: string): SweepAxis | null {
  const [knob, list] = text.split(':');
  const values = (list ?? '').split(',').filter(Boolean).map(Number);
  if (!KNOBS.includes(knob as KnobName) || values.length === 0 || values.some((v) => !Number.isFinite(v) || v < 0)) return null;
  return { knob: knob as KnobName, values };
}

function extraText(extra: Partial<CellSettings>): string {
  return Object.entries(extra).map(([k, v]) => `${k}=${v}`).join(',');
}

function parseExtra(text: string): Partial<CellSettings> | null {
  const out: Record<string, number> = {};
  for (const pair of text.split(',')) {
    const [k, v] = pair.split('=');
    if (!NUMERIC_SETTINGS.includes(k as keyof CellSettings) || !Number.isFinite(Number(v))) return null;
    out[k] = Number(v);
  }
  return out as Partial<CellSettings>;
}

/** The spec as query parameters (readable, so a speaker can edit a link by hand). */
export function specToQuery(spec: ExperimentSpec): URLSearchParams {
  const q = new URLSearchParams();
  q.set('preset', spec.preset);
  q.set('base', spec.base);
  q.set('seeds', String(spec.seeds));
  for (const key of NUMERIC_SETTINGS) q.set(key, String(spec.fixed[key]));
  q.set('addedKind', spec.fixed.addedKind);
  spec.axes.forEach((axis, i) => q.set(`axis${i + 1}`, axisText(axis)));
  // Always written, empty too: a missing parameter means the preset's extra cells.
  q.set('extra', spec.extraCells.map(extraText).join(';'));
  q.set('evalEvery', String(spec.evalEvery));
  q.set('evalEarly', `${spec.evalEarly.every}:${spec.evalEarly.until}`);
  q.set('evalItems', String(spec.evalItems));
  q.set('target', spec.target);
  q.set('adjacent', spec.adjacent.join(','));
  return q;
}

function positiveInt(text: string | null, fallback: number, min = 1): number {
  const n = Number(text);
  return text !== null && Number.isInteger(n) && n >= min ? n : fallback;
}

/** Reads a spec back; every missing or invalid parameter takes the preset's value. */
export function specFromQuery(q: URLSearchParams): ExperimentSpec {
  const preset: PresetId = q.get('preset') === 'cliff' ? 'cliff' : 'saturation';
  const spec = presetSpec(preset);
  const base = q.get('base');
  if (base && /^[\w.:-]+$/.test(base)) spec.base = base;
  spec.seeds = Math.min(10, positiveInt(q.get('seeds'), spec.seeds));
  for (const key of NUMERIC_SETTINGS) {
    const v = Number(q.get(key));
    if (q.get(key) !== null && Number.isFinite(v) && v >= 0) (spec.fixed[key] as number) = v;
  }
  const kind = q.get('addedKind');
  if (kind === 'noisy' || kind === 'narrow') spec.fixed.addedKind = kind;
  const axes = [q.get('axis1'), q.get('axis2')].filter((a): a is string => a !== null).map(parseAxis);
  if (axes.length && axes.every((a) => a !== null)) spec.axes = axes as SweepAxis[];
  const extra = q.get('extra');
  if (extra !== null) {
    const parsed = extra === '' ? [] : extra.split(';').map(parseExtra);
    if (parsed.every((e) => e !== null)) spec.extraCells = parsed as Partial<CellSettings>[];
  }
  spec.evalEvery = positiveInt(q.get('evalEvery'), spec.evalEvery, 0);
  const early = (q.get('evalEarly') ?? '').split(':');
  if (early.length === 2) {
    const [every, until] = early.map((t) => positiveInt(t, -1, 0));
    if (every >= 0 && until >= 0) spec.evalEarly = { every, until };
  }
  spec.evalItems = Math.min(500, positiveInt(q.get('evalItems'), spec.evalItems));
  const target = q.get('target');
  if (target && SKILL_NAMES.includes(target as SkillName)) spec.target = target as SkillName;
  const adjacent = q.get('adjacent');
  if (adjacent !== null) spec.adjacent = adjacent.split(',').filter((s): s is SkillName => SKILL_NAMES.includes(s as SkillName) && s !== spec.target);
  return spec;
}
