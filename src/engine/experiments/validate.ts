// What a sweep accepts, in the user's words: one rule per field, a parser for a typed value or a comma list, and a
// whole-spec check that the form (as the user types) and the experiment job (before it trains) both use.
import { POOL_CAPACITY } from './cell-data';
import type { CellSettings, ExperimentSpec, KnobName } from './types';
import { cohortSharesProblem, parseCohortShares } from './cohorts/data';
import { COHORT_FORMS } from './cohorts/forms';
import { promptingProblems } from './prompting/validate';
import { basesProblem } from './ceiling/bases';

export type NumericSetting = Exclude<keyof CellSettings, 'addedKind' | 'cohorts' | 'schedule' | 'base'>;
/** Settings only an axis varies (no field of their own): the Prompting preset's shots. */
export const AXIS_ONLY: ScalarField[] = ['shots'];
/** A form field holding one number. */
export type ScalarField = NumericSetting | 'seeds' | 'evalEvery' | 'evalItems' | MatchedField | CeilingField;
/** The Capability ceiling preset's split (spec.ceiling.trainEntities): shown and checked only where the spec has one. */
export type CeilingField = 'trainEntities';
export const CEILING_FIELDS: ScalarField[] = ['trainEntities'];
/** The matched-gain preset's stopping rule (spec.matched): shown and checked only where the spec has one. */
export type MatchedField = 'matchTarget' | 'matchEvery';
export const MATCHED_FIELDS: ScalarField[] = ['matchTarget', 'matchEvery'];
/** Every field a problem can be shown next to; 'extra' (the extra runs) exists only in a link. */
export type FieldId = ScalarField | 'axis1' | 'axis2' | 'extra' | 'cohorts' | 'bases';

export interface NumberRule {
  /** The field's label as the form shows it. */
  label: string;
  integer: boolean;
  min: number;
  /** The value must be above min, not equal to it. */
  minExclusive?: boolean;
  max?: number;
  /** A typical value, quoted in messages. */
  example?: string;
}

/** In the form's order (messages that list several fields follow it). */
export const NUMBER_RULES: Record<ScalarField, NumberRule> = {
  seeds: { label: 'Seeds', integer: true, min: 1, max: 10 },
  trainSize: { label: 'Clean examples', integer: true, min: 0, max: POOL_CAPACITY },
  addedSize: { label: 'Added examples', integer: true, min: 0, max: POOL_CAPACITY },
  addedNoise: { label: 'Added pool wrong-label rate', integer: false, min: 0, max: 1, example: '0.3' },
  labelNoise: { label: 'Clean pool wrong-label rate', integer: false, min: 0, max: 1, example: '0.1' },
  replay: { label: 'Replay share (old skills)', integer: false, min: 0, max: 0.9, example: '0.25' },
  steps: { label: 'Steps', integer: true, min: 1, max: 100_000 },
  rank: { label: 'LoRA rank (0 = full fine-tuning)', integer: true, min: 0, max: 256, example: '8' },
  lr: { label: 'Learning rate', integer: false, min: 0, minExclusive: true, max: 1, example: '0.001' },
  batchSize: { label: 'Batch size', integer: true, min: 1, max: 1024 },
  balance: { label: 'Cohort-balanced sampling (0 = off, 1 = full)', integer: false, min: 0, max: 1, example: '1' },
  reweight: { label: 'Loss reweighting by cohort (0 = off, 1 = full)', integer: false, min: 0, max: 1, example: '1' },
  evalEvery: { label: 'Eval every (steps, 0 = end only)', integer: true, min: 0 },
  evalItems: { label: 'Eval items per probe', integer: true, min: 1, max: 500 },
  matchTarget: { label: 'Stop when the target reaches (dev exact match)', integer: false, min: 0, minExclusive: true, max: 1, example: '0.7' },
  matchEvery: { label: 'Check the dev probe every (steps)', integer: true, min: 1, max: 100_000, example: '5' },
  shots: { label: 'Shots k (solved lines before each prompt)', integer: true, min: 0, max: 64, example: '4' },
  trainEntities: { label: 'Trained entities (of 20; the rest are held out)', integer: true, min: 1, max: 19, example: '12' },
};

/** The knobs an axis can vary, with the words the form uses for them (the same as their fields'). */
export const KNOB_LABELS: Record<KnobName, string> = Object.fromEntries(
  (['trainSize', 'labelNoise', 'addedSize', 'steps', 'rank', 'lr', 'replay', 'balance', 'reweight', 'shots'] as const).map((k) => [k, NUMBER_RULES[k].label]),
) as Record<KnobName, string>;

/** "a whole number from 1 to 10", "a number above 0 and at most 1, such as 0.001". */
export function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const low = rule.minExclusive ? `above ${rule.min}` : `from ${rule.min}`;
  let range: string;
  if (rule.max === undefined) range = rule.minExclusive ? `above ${rule.min}` : `of ${rule.min} or more`;
  else range = rule.minExclusive ? `${low} and at most ${rule.max}` : `${low} to ${rule.max}`;
  return `${kind} ${range}${rule.example ? `, such as ${rule.example}` : ''}`;
}

/** Why a number breaks the rule ("is below 1"), or null when it fits. */
function breach(value: number, rule: NumberRule): string | null {
  if (rule.minExclusive ? value <= rule.min : value < rule.min) return rule.minExclusive ? `must be above ${rule.min}` : `is below ${rule.min}`;
  if (rule.max !== undefined && value > rule.max) return `is above ${rule.max}`;
  if (rule.integer && !Number.isInteger(value)) return 'is not a whole number';
  return null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** One typed number (as the field holds it) against its rule. */
export function parseNumber(text: string, rule: NumberRule): Parsed<number> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `Enter ${describeRule(rule)}.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, message: `“${trimmed}” is not a number: enter ${describeRule(rule)}.` };
  const why = breach(value, rule);
  return why ? { ok: false, message: `${trimmed} ${why}: enter ${describeRule(rule)}.` } : { ok: true, value };
}

/** A comma-separated list ("50, 100, 200"); names each wrong entry by position and says why. */
export function parseNumberList(text: string, rule: NumberRule): Parsed<number[]> {
  const entries = text.split(',').map((e) => e.trim());
  if (entries.every((e) => e === '')) return { ok: false, message: `Enter one or more values separated by commas, each ${describeRule(rule)}.` };
  const values: number[] = [];
  const wrong: string[] = [];
  entries.forEach((entry, i) => {
    const value = Number(entry);
    let why: string | null;
    if (entry === '') why = 'is empty';
    else if (!Number.isFinite(value)) why = 'is not a number';
    else why = breach(value, rule);
    if (why) wrong.push(`entry ${i + 1}, “${entry}”, ${why}`);
    else values.push(value);
  });
  if (wrong.length === 0) return { ok: true, value: values };
  const list = wrong.join('; ');
  return { ok: false, message: `${list[0].toUpperCase()}${list.slice(1)}. Each value must be ${describeRule(rule)}.` };
}

/** Every field in the form's order. */
export const FIELD_ORDER: FieldId[] = ['axis1', 'axis2', 'cohorts', 'bases', ...(Object.keys(NUMBER_RULES) as ScalarField[]), 'extra'];

/** The Cohorts preset's fields: shown (and checked) only where the spec has cohorts. */
export const COHORT_FIELDS: ScalarField[] = ['balance', 'reweight'];

export interface FieldProblem {
  field: FieldId;
  message: string;
}

/** The label of a field, for messages shown away from it (the job's error, a link's notice). */
export function fieldLabel(field: FieldId, spec?: Pick<ExperimentSpec, 'axes'>): string {
  if (field === 'axis1' || field === 'axis2') {
    const axis = spec?.axes[field === 'axis1' ? 0 : 1];
    return `Axis ${field.at(-1)} values${axis ? ` (${KNOB_LABELS[axis.knob]})` : ''}`;
  }
  if (field === 'extra') return 'Extra runs of the link';
  if (field === 'cohorts') return 'Cohort shares';
  if (field === 'bases') return 'Bases';
  return NUMBER_RULES[field].label;
}

/** The value a scalar field holds in a spec (NaN for a matched-gain field of a spec without the rule). */
export function scalarValue(spec: ExperimentSpec, field: ScalarField): number {
  if (field === 'matchTarget') return spec.matched?.targetAccuracy ?? NaN;
  if (field === 'matchEvery') return spec.matched?.checkEvery ?? NaN;
  if (field === 'trainEntities') return spec.ceiling?.trainEntities ?? NaN;
  return field === 'seeds' || field === 'evalEvery' || field === 'evalItems' ? spec[field] : (spec.fixed[field] ?? NaN);
}

/** Sets a scalar field's value in a spec (a matched-gain field only where the spec has the rule). */
export function setScalar(spec: ExperimentSpec, field: ScalarField, value: number): void {
  if (field === 'trainEntities') {
    if (spec.ceiling) spec.ceiling = { ...spec.ceiling, trainEntities: value };
  } else if (field === 'matchTarget' || field === 'matchEvery') {
    if (spec.matched) spec.matched = { ...spec.matched, [field === 'matchTarget' ? 'targetAccuracy' : 'checkEvery']: value };
  } else if (field === 'seeds' || field === 'evalEvery' || field === 'evalItems') spec[field] = value;
  else spec.fixed[field] = value;
}

/** The matched-gain rule's problems: both methods in the sweep, a check that can happen before the cap. */
function matchedProblems(spec: ExperimentSpec): FieldProblem[] {
  if (!spec.matched) return [];
  const problems: FieldProblem[] = [];
  const rankAxis = spec.axes.findIndex((a) => a.knob === 'rank');
  const ranks = rankAxis >= 0 ? spec.axes[rankAxis].values : [spec.fixed.rank];
  if (!ranks.includes(0) || !ranks.some((r) => r > 0)) {
    problems.push({ field: rankAxis >= 0 ? axisField(rankAxis) : 'axis1', message: 'The comparison needs LoRA (a rank above 0) and full fine-tuning (rank 0) in the sweep: let an axis vary the LoRA rank over e.g. 8, 0.' });
  }
  const stepsAxis = spec.axes.findIndex((a) => a.knob === 'steps');
  const cap = Math.min(...(stepsAxis >= 0 ? spec.axes[stepsAxis].values : [spec.fixed.steps]));
  if (Number.isInteger(spec.matched.checkEvery) && spec.matched.checkEvery > cap) {
    problems.push({ field: 'matchEvery', message: `A check every ${spec.matched.checkEvery} steps never comes within the cap of ${cap} steps: check at most every ${cap} steps, or raise Steps (the cap).` });
  }
  return problems;
}

function axisField(index: number): 'axis1' | 'axis2' {
  return index === 0 ? 'axis1' : 'axis2';
}

/**
 * Every problem of a spec, each on the field that would fix it. Whatever the job would refuse later (a training
 * option, a pool size, a LoRA rank) is caught here first, so no run starts and fails on an internal name.
 */
export function validateSpec(spec: ExperimentSpec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of Object.keys(NUMBER_RULES) as ScalarField[]) {
    if ((!spec.matched && MATCHED_FIELDS.includes(field)) || AXIS_ONLY.includes(field)) continue;
    if (!spec.ceiling && CEILING_FIELDS.includes(field)) continue;
    const parsed = parseNumber(String(scalarValue(spec, field)), NUMBER_RULES[field]);
    if (!parsed.ok) problems.push({ field, message: parsed.message });
  }
  spec.axes.forEach((axis, i) => {
    const parsed = parseNumberList(axis.values.join(', '), NUMBER_RULES[axis.knob]);
    if (!parsed.ok) problems.push({ field: axisField(i), message: parsed.message });
  });
  if (spec.axes.length === 2 && spec.axes[0].knob === spec.axes[1].knob) {
    problems.push({ field: 'axis2', message: `Axis 2 varies ${KNOB_LABELS[spec.axes[1].knob]}, as axis 1 does: pick another setting, or none.` });
  }
  spec.extraCells.forEach((extra, i) => {
    for (const [key, value] of Object.entries(extra) as [NumericSetting, number][]) {
      if ((key as string) === 'addedKind') continue; // 'noisy' | 'narrow', checked when the link is read
      const parsed = parseNumber(String(value), NUMBER_RULES[key]);
      if (!parsed.ok) problems.push({ field: 'extra', message: `Extra run ${i + 1}, ${NUMBER_RULES[key].label}: ${parsed.message}` });
    }
  });
  // The Prompting preset's arms are not a grid: its own check names an empty run (N = 0) on its axis.
  problems.push(...(spec.prompting ? promptingProblems(spec) : emptyRunProblems(spec)), ...matchedProblems(spec));
  if (spec.ceiling) {
    const problem = basesProblem(spec.ceiling.bases);
    if (problem) problems.push({ field: 'bases', message: problem });
  }
  if (spec.fixed.cohorts) {
    // Every training size the sweep runs, so a cohort that would get no example is named before anything runs.
    const i = spec.axes.findIndex((a) => a.knob === 'trainSize');
    const sizes = [...(i >= 0 ? spec.axes[i].values : [spec.fixed.trainSize]), ...spec.extraCells.flatMap((e) => (e.trainSize !== undefined ? [e.trainSize] : []))];
    const problem = cohortSharesProblem(spec.fixed.cohorts, sizes);
    if (problem) problems.push({ field: 'cohorts', message: problem });
  }
  return problems;
}

/** The cohort-shares field's text → shares, or what is wrong with it (the same words as the whole-spec check). */
export function parseCohortField(text: string, trainSizes: readonly number[] = []): Parsed<Record<string, number>> {
  const shares = parseCohortShares(text);
  if (!shares) return { ok: false, message: `“${text.trim()}” is not a list of cohorts and shares: write e.g. “us 0.95, caps 0.05” (cohorts: ${COHORT_FORMS.join(', ')}).` };
  const problem = cohortSharesProblem(shares, trainSizes);
  return problem ? { ok: false, message: problem } : { ok: true, value: shares };
}

/** A run with no clean and no added examples has nothing to train on; blame the field that sets the size. */
function emptyRunProblems(spec: ExperimentSpec): FieldProblem[] {
  const sizes = (knob: 'trainSize' | 'addedSize') => {
    const i = spec.axes.findIndex((a) => a.knob === knob);
    return i >= 0 ? spec.axes[i].values : [spec.fixed[knob]];
  };
  const message = 'A run with 0 clean and 0 added examples has nothing to train on: use at least 1 example.';
  const problems: FieldProblem[] = [];
  if (sizes('trainSize').includes(0) && sizes('addedSize').includes(0)) {
    const i = spec.axes.findIndex((a) => a.knob === 'trainSize');
    problems.push({ field: i >= 0 ? axisField(i) : 'trainSize', message });
  }
  spec.extraCells.forEach((extra, i) => {
    if ((extra.trainSize ?? spec.fixed.trainSize) + (extra.addedSize ?? spec.fixed.addedSize) === 0) problems.push({ field: 'extra', message: `Extra run ${i + 1}: ${message}` });
  });
  return problems;
}
