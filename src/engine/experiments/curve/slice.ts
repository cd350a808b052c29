// Data-quality sweep: is a slice of the user's data (a cohort, a tag, the duplicate copies) helping or hurting? Each
// seed trains once with the slice and once without it, both scored on the same held-out items; the answer is the paired
// difference (without − with) with a seeds × items bootstrap interval.
import { differenceOf, twoLevelBootstrap, type Estimate, type SeedItems } from '../resample';
import type { CurveCellItems } from './estimate';
import type { ChatMessage } from '../../data/record';
import { scanText } from '../../data/pii-scan';
import { NearDuplicateIndex } from '../../data/near-duplicates';
import { normaliseText } from '../../data/record-id';

/**
 * 'pii': the rows the Data page's scan flags as holding personal data (emails, phone, card numbers, IP addresses).
 * 'near-duplicates': the rows beyond the first of each group the Data page flags as near-duplicates (near-duplicates.ts).
 */
export type SliceKind = 'cohort' | 'tag' | 'duplicates' | 'near-duplicates' | 'pii';

export interface CurveSlice {
  kind: SliceKind;
  /** The cohort or tag name ('duplicates', 'near-duplicates' and 'pii' have none). */
  value?: string;
}

/** Whether a slice kind is named by a value (a cohort or a tag). */
export function sliceNeedsValue(kind: SliceKind): kind is 'cohort' | 'tag' {
  return kind === 'cohort' || kind === 'tag';
}

/** Whether any text of a stored row (its messages, else its prompt and completion) holds personal data by the Data page's PII scan. */
export function rowHasPii(row: { prompt: string; completion: string; messages?: ChatMessage[] }): boolean {
  const texts = row.messages ? row.messages.map((m) => m.content) : [row.prompt, row.completion];
  return texts.some((text) => Object.values(scanText(text)).some((n) => n > 0));
}

const rowTexts = (row: { prompt: string; completion: string; messages?: ChatMessage[] }): string[] => (row.messages ? row.messages.map((m) => m.content) : [row.prompt, row.completion]);

/**
 * Which rows are near-duplicates to swap out, by the Data page's detection over the rows added (in order, streamed so a
 * caller reading chunks never holds all texts): every row beyond the first of a near-duplicate group, and any exact copy
 * of such a row (the exact copies of a kept row stay: they are 'duplicates').
 */
export class NearDuplicateFlagger {
  private readonly index = new NearDuplicateIndex();
  private readonly first = new Map<string, number>();
  private readonly representative: number[] = [];

  add(row: { prompt: string; completion: string; messages?: ChatMessage[] }): void {
    const i = this.representative.length;
    const texts = rowTexts(row);
    const key = JSON.stringify(texts.map(normaliseText));
    const seen = this.first.get(key);
    this.index.add(i, texts, seen !== undefined);
    if (seen === undefined) this.first.set(key, i);
    this.representative.push(seen ?? i);
  }

  /** One flag per row added, in order. */
  flags(): boolean[] {
    this.index.finish();
    const later = this.index.laterLines();
    return this.representative.map((r) => later.has(r));
  }
}

export function nearDuplicateFlags(rows: readonly { prompt: string; completion: string; messages?: ChatMessage[] }[]): boolean[] {
  const flagger = new NearDuplicateFlagger();
  for (const row of rows) flagger.add(row);
  return flagger.flags();
}

export type SliceArm = 'with' | 'without';

export function sliceName(slice: CurveSlice): string {
  if (slice.kind === 'duplicates') return 'the duplicate copies';
  if (slice.kind === 'near-duplicates') return 'the near-duplicate rows (all but the first of each group sharing ≥ 80% of their word pairs)';
  if (slice.kind === 'pii') return 'the rows with personal data (emails, phone, card numbers, IP addresses)';
  return `${slice.kind} “${slice.value}”`;
}

export function sliceCellKey(slice: CurveSlice, arm: SliceArm, seed: number): string {
  return `slice=${slice.kind}:${slice.value ?? ''} arm=${arm} seed=${seed}`;
}

export interface SliceCell {
  key: string;
  arm: SliceArm;
  seed: number;
}

/** Seed-major: both arms of seed 1 first, so one paired difference exists as early as possible. */
export function expandSliceCells(slice: CurveSlice, seeds: number): SliceCell[] {
  const cells: SliceCell[] = [];
  for (let seed = 1; seed <= seeds; seed++) for (const arm of ['with', 'without'] as const) cells.push({ key: sliceCellKey(slice, arm, seed), arm, seed });
  return cells;
}

/**
 * Whether a row is in the slice by its cohort, tags, PII flag (`pii`: rowHasPii) or near-duplicate flag (`nearDuplicate`:
 * nearDuplicateFlags); duplicates are decided per copy by the caller.
 */
export function rowInSlice(row: { cohort?: string; tags?: string[]; pii?: boolean; nearDuplicate?: boolean }, slice: CurveSlice): boolean {
  if (slice.kind === 'pii') return row.pii === true;
  if (slice.kind === 'near-duplicates') return row.nearDuplicate === true;
  if (slice.kind === 'cohort') return row.cohort === slice.value;
  if (slice.kind === 'tag') return row.tags?.includes(slice.value ?? '') ?? false;
  return false;
}

/**
 * The training examples of one arm from the rows' examples in row order: 'with' keeps all; 'without' drops the rows in
 * the slice, or (duplicates) every copy of an example after its first.
 */
export function armExamples<T>(rows: readonly { id: string; inSlice: boolean; examples: T[] }[], slice: CurveSlice, arm: SliceArm): T[] {
  if (arm === 'with') return rows.flatMap((r) => r.examples);
  if (slice.kind !== 'duplicates') return rows.filter((r) => !r.inSlice).flatMap((r) => r.examples);
  const seen = new Set<string>();
  return rows.flatMap((r) => {
    if (seen.has(r.id)) return [];
    seen.add(r.id);
    return r.examples;
  });
}

/** Per item loss (nll / weight) of a cell: the unit the paired difference resamples. */
function itemLoss(c: CurveCellItems): number[] {
  return c.nll.map((x, i) => (c.weight[i] > 0 ? x / c.weight[i] : 0));
}

export interface SliceEffect {
  /** Mean over seeds of (without − with), item by item paired: for loss, > 0 means removing the slice made it worse. */
  difference: Estimate;
  metric: 'loss' | 'exact match';
}

/** Paired differences of the seeds that ran both arms: validation loss (mean per-item loss) and, when scored, exact match. */
export function sliceEffects(cells: readonly (CurveCellItems & { arm: SliceArm })[], options: { resamples?: number; seed?: number } = {}): SliceEffect[] {
  const seeds = [...new Set(cells.map((c) => c.seed))].sort((a, b) => a - b);
  const pairs = seeds.flatMap((s) => {
    const w = cells.find((c) => c.seed === s && c.arm === 'with');
    const wo = cells.find((c) => c.seed === s && c.arm === 'without');
    return w && wo ? [[w, wo] as const] : [];
  });
  if (!pairs.length) return [];
  const unit = (a: number[], b: number[]): SeedItems => ({ groups: [a.map((x, i) => [x, b[i]])] });
  const effects: SliceEffect[] = [{ metric: 'loss', difference: twoLevelBootstrap(pairs.map(([w, wo]) => unit(itemLoss(w), itemLoss(wo))), differenceOf(0, 1), options) }];
  if (pairs.every(([w, wo]) => w.exact && wo.exact)) {
    effects.push({ metric: 'exact match', difference: twoLevelBootstrap(pairs.map(([w, wo]) => unit(w.exact!, wo.exact!)), differenceOf(0, 1), { ...options, clip: [-1, 1] }) });
  }
  return effects;
}

/** "Is this part of my data helping or hurting?" in words, from the paired differences only. */
export function sliceReading(slice: CurveSlice, effects: readonly SliceEffect[], rowsInSlice: number): string {
  if (!effects.length) return `No seed has run both with and without ${sliceName(slice)} yet.`;
  const parts = effects.map(({ metric, difference: d }) => {
    const f = (x: number) => (metric === 'loss' ? x.toFixed(3) : `${(100 * x).toFixed(1)} points`);
    const sign = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '') + f(Math.abs(x));
    const change = `Without it, ${metric === 'loss' ? 'validation loss' : 'exact match'} changed by ${sign(d.mean)} (95% interval ${sign(d.lo)} to ${sign(d.hi)})`;
    const better = metric === 'loss' ? d.hi < 0 : d.lo > 0;
    const worse = metric === 'loss' ? d.lo > 0 : d.hi < 0;
    return `${change}: ${better ? 'the slice is hurting — training without it scored better' : worse ? 'the slice is helping — training without it scored worse' : 'no effect resolved either way (the interval includes zero)'}.`;
  });
  const n = effects[0].difference.n;
  return `${sliceName(slice)[0].toUpperCase()}${sliceName(slice).slice(1)} (${rowsInSlice} training rows). ${parts.join(' ')} (${n} seed${n === 1 ? '' : 's'}, paired on the same held-out items.)`;
}
