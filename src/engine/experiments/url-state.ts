// Experiment state ⇄ URL query: a link reproduces the setup, a reload keeps it; a bad value is kept and reported, never dropped.
import { SKILL_NAMES, type SkillName } from '../world';
import { PRESET_IDS, presetSpec } from './presets';
import type { CellSettings, ExperimentSpec, KnobName, PresetId, SweepAxis } from './types';
import { MATCHED_FIELDS, NUMBER_RULES, parseCohortField, scalarValue, setScalar, parseNumber, parseNumberList, type FieldId, type NumericSetting, type ScalarField } from './validate';
import { cohortsText } from './cells';
import { basesProblem, parseBases } from './ceiling/bases';

const KNOBS: KnobName[] = ['trainSize', 'labelNoise', 'addedSize', 'steps', 'rank', 'lr', 'replay', 'balance', 'reweight', 'shots'];
const NUMERIC_SETTINGS: NumericSetting[] = ['trainSize', 'labelNoise', 'addedSize', 'addedNoise', 'replay', 'steps', 'rank', 'lr', 'batchSize', 'balance', 'reweight'];

function axisText(axis: SweepAxis): string {
  return `${axis.knob}:${axis.values.join(',')}`;
}

function extraText(extra: Partial<CellSettings>): string {
  return Object.entries(extra).map(([k, v]) => `${k}=${v}`).join(',');
}

function parseExtra(text: string): Partial<CellSettings> | null {
  const out: Record<string, number | string> = {};
  for (const pair of text.split(',')) {
    const [k, v] = pair.split('=');
    // The one non-numeric setting an extra run may carry: which worse pool it adds (Saturation's noisy and narrow points).
    if (k === 'addedKind' && (v === 'noisy' || v === 'narrow')) out[k] = v;
    else if (!NUMERIC_SETTINGS.includes(k as NumericSetting) || !Number.isFinite(Number(v))) return null;
    else out[k] = Number(v);
  }
  return out as Partial<CellSettings>;
}

/**
 * The spec as query parameters (readable, so a speaker can edit a link by hand). `raw` holds what a field shows
 * when it does not parse (the link keeps the user's text, and reading it back shows the same message).
 */
export function specToQuery(spec: ExperimentSpec, raw: Partial<Record<FieldId, string>> = {}): URLSearchParams {
  const q = new URLSearchParams();
  q.set('preset', spec.preset);
  q.set('base', spec.base);
  q.set('seeds', raw.seeds ?? String(spec.seeds));
  for (const key of NUMERIC_SETTINGS) q.set(key, raw[key] ?? String(spec.fixed[key]));
  q.set('addedKind', spec.fixed.addedKind);
  if (spec.fixed.cohorts) q.set('cohorts', raw.cohorts ?? cohortsText(spec.fixed.cohorts));
  if (spec.matched) for (const f of MATCHED_FIELDS) q.set(f, raw[f] ?? String(scalarValue(spec, f)));
  if (spec.ceiling) {
    q.set('bases', raw.bases ?? spec.ceiling.bases.join(','));
    q.set('trainEntities', raw.trainEntities ?? String(spec.ceiling.trainEntities));
  }
  spec.axes.forEach((axis, i) => {
    const text = raw[i === 0 ? 'axis1' : 'axis2'];
    q.set(`axis${i + 1}`, text === undefined ? axisText(axis) : `${axis.knob}:${text}`);
  });
  // Always written: an absent parameter means "the preset's extra runs", so an emptied list would come back.
  q.set('extra', spec.extraCells.map(extraText).join(';'));
  q.set('evalEvery', raw.evalEvery ?? String(spec.evalEvery));
  q.set('evalEarly', `${spec.evalEarly.every}:${spec.evalEarly.until}`);
  q.set('evalItems', raw.evalItems ?? String(spec.evalItems));
  q.set('target', spec.target);
  q.set('adjacent', spec.adjacent.join(','));
  return q;
}

export interface QueryState {
  /** Every valid parameter applied to its preset. */
  spec: ExperimentSpec;
  /** Text of parameters that have a form field but did not parse: the field shows it with its message. */
  drafts: Partial<Record<FieldId, string>>;
  /** Parameters without a field that could not be used, in words (shown once on the page, never dropped silently). */
  notices: string[];
}

/** Reads a spec back; a bad parameter keeps the preset's value and is reported (as a field's text or a notice). */
export function readQuery(q: URLSearchParams): QueryState {
  const notices: string[] = [];
  const drafts: Partial<Record<FieldId, string>> = {};
  const presetParam = q.get('preset');
  const preset: PresetId = PRESET_IDS.includes(presetParam as PresetId) ? (presetParam as PresetId) : 'saturation';
  if (presetParam !== null && !PRESET_IDS.includes(presetParam as PresetId)) notices.push(`The link asks for preset “${presetParam}”, which does not exist; Saturation is shown.`);
  const spec = presetSpec(preset);
  const base = q.get('base');
  if (base && /^[\w.:-]+$/.test(base)) spec.base = base;
  else if (base !== null) notices.push(`The link's base model “${base}” is not a model name; ${spec.base} is used.`);
  const scalar = (field: ScalarField, apply: (v: number) => void) => {
    const text = q.get(field);
    if (text === null) return;
    const parsed = parseNumber(text, NUMBER_RULES[field]);
    if (parsed.ok) apply(parsed.value);
    else drafts[field] = text;
  };
  scalar('seeds', (v) => (spec.seeds = v));
  for (const f of MATCHED_FIELDS) {
    if (spec.matched) scalar(f, (v) => setScalar(spec, f, v));
    else if (q.get(f) !== null) notices.push(`The link's “${f}” was left out: only the matched-gain preset stops at a target accuracy.`);
  }
  readCeiling(q, spec, drafts, notices, scalar);
  for (const key of NUMERIC_SETTINGS) scalar(key, (v) => (spec.fixed[key] = v));
  const kind = q.get('addedKind');
  if (kind === 'noisy' || kind === 'narrow') spec.fixed.addedKind = kind;
  else if (kind !== null) notices.push(`The link's added pool “${kind}” is neither noisy nor narrow; ${spec.fixed.addedKind} is used.`);
  const cohorts = q.get('cohorts');
  if (cohorts !== null && spec.fixed.cohorts) {
    const parsed = parseCohortField(cohorts);
    if (parsed.ok) spec.fixed.cohorts = parsed.value;
    else drafts.cohorts = cohorts;
  } else if (cohorts !== null) notices.push(`The link's cohort shares “${cohorts}” were left out: only the Cohorts preset has cohorts.`);
  readAxes(q, spec, drafts, notices);
  const extra = q.get('extra');
  if (extra !== null) {
    const parsed = extra === '' ? [] : extra.split(';').map(parseExtra);
    if (parsed.every((e) => e !== null)) spec.extraCells = parsed as Partial<CellSettings>[];
    else notices.push(`The link's extra runs “${extra}” could not be read; the preset's extra runs are used.`);
  }
  scalar('evalEvery', (v) => (spec.evalEvery = v));
  const early = q.get('evalEarly');
  if (early !== null) {
    const [every, until] = early.split(':').map((t) => (/^\d+$/.test(t.trim()) ? Number(t) : NaN));
    if (Number.isInteger(every) && Number.isInteger(until)) spec.evalEarly = { every, until };
    else notices.push(`The link's early evaluation “${early}” is not “every:until” in whole steps; the preset's is used.`);
  }
  scalar('evalItems', (v) => (spec.evalItems = v));
  const target = q.get('target');
  if (target && SKILL_NAMES.includes(target as SkillName)) spec.target = target as SkillName;
  else if (target !== null) notices.push(`The link's target skill “${target}” is not a Tiny World skill (${SKILL_NAMES.join(', ')}); ${spec.target} is used.`);
  const adjacent = q.get('adjacent');
  if (adjacent !== null) {
    const names = adjacent.split(',').filter(Boolean);
    const unknown = names.filter((s) => !SKILL_NAMES.includes(s as SkillName) || s === spec.target);
    spec.adjacent = names.filter((s): s is SkillName => !unknown.includes(s));
    if (unknown.length) notices.push(`The link's adjacent skills ${unknown.map((s) => `“${s}”`).join(', ')} were left out: each must be a Tiny World skill other than the target.`);
  }
  return { spec, drafts, notices };
}

/** The Capability ceiling's bases and split: a bad list stays in its field with its message; on another preset, a notice. */
function readCeiling(q: URLSearchParams, spec: ExperimentSpec, drafts: Partial<Record<FieldId, string>>, notices: string[], scalar: (field: ScalarField, apply: (v: number) => void) => void): void {
  const bases = q.get('bases');
  if (!spec.ceiling) {
    if (bases !== null || q.get('trainEntities') !== null) notices.push('The link\'s bases and trained entities were left out: only the Capability ceiling preset compares bases.');
    return;
  }
  if (bases !== null) {
    const list = parseBases(bases);
    if (basesProblem(list) === null) spec.ceiling = { ...spec.ceiling, bases: list };
    else drafts.bases = bases;
  }
  scalar('trainEntities', (v) => setScalar(spec, 'trainEntities', v));
}

/**
 * Axes: a known setting with values that do not parse keeps the setting (its current value stands in) and puts the
 * text in the field; an unknown setting keeps the preset's axes.
 */
function readAxes(q: URLSearchParams, spec: ExperimentSpec, drafts: Partial<Record<FieldId, string>>, notices: string[]): void {
  const texts = [q.get('axis1'), q.get('axis2')].filter((a): a is string => a !== null);
  if (texts.length === 0) return;
  const axes: SweepAxis[] = [];
  for (const [i, text] of texts.entries()) {
    const [knob, list = ''] = text.split(/:(.*)/s);
    if (!KNOBS.includes(knob as KnobName)) {
      notices.push(`The link's axis ${i + 1} “${text}” names no setting a sweep can vary (${KNOBS.join(', ')}); the preset's axes are used.`);
      return;
    }
    const parsed = parseNumberList(list, NUMBER_RULES[knob as KnobName]);
    if (parsed.ok) axes.push({ knob: knob as KnobName, values: parsed.value });
    else {
      axes.push({ knob: knob as KnobName, values: [spec.fixed[knob as KnobName] ?? 0] });
      drafts[i === 0 ? 'axis1' : 'axis2'] = list;
    }
  }
  spec.axes = axes;
}

/** Reads a spec back; every missing or invalid parameter takes the preset's value. */
export function specFromQuery(q: URLSearchParams): ExperimentSpec {
  return readQuery(q).spec;
}
