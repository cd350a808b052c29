// A Cohorts cell's data: the target's clean examples split into cohorts at the given shares, each rewritten into its
// cohort's form, then balanced (minority examples repeated) and weighted (per-example loss weights) as the cell asks.
import { ExperimentSpecError } from '../../errors';
import type { SkillName, WorldExample } from '../../world';
import { cellExamples } from '../cell-data';
import type { CellSettings } from '../types';
import { cohortPrompt, isCohortForm, COHORT_FORMS } from './forms';

/** One training example of a Cohorts cell: its cohort and its loss weight (1 unless the cell reweights). */
export interface CohortExample extends WorldExample {
  cohort: string;
  weight: number;
  /** The prompt as generated, before its cohort's form rewrote the phrase. */
  source: string;
}

/**
 * The cohort of each of n examples, in order: each smaller cohort (smallest share first) takes example i as soon as its
 * quota floor((i + 1) × share) runs ahead of what it holds, the largest cohort takes the rest. Sequential, so a larger
 * training set keeps the smaller one's cohorts (nested, like the pools), and with two cohorts the minority holds exactly
 * floor(n × share) of every prefix of n.
 */
export function assignCohorts(n: number, shares: Record<string, number>): string[] {
  const names = Object.keys(shares).sort((a, b) => shares[a] - shares[b]);
  const majority = names[names.length - 1];
  const held: Record<string, number> = Object.fromEntries(names.map((c) => [c, 0]));
  return Array.from({ length: n }, (_, i) => {
    const c = names.slice(0, -1).find((m) => Math.floor((i + 1) * shares[m] + 1e-9) > held[m]) ?? majority;
    held[c]++;
    return c;
  });
}

/** Examples per cohort when n examples are split at these shares. */
export function cohortCounts(n: number, shares: Record<string, number>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(Object.keys(shares).map((c) => [c, 0]));
  for (const c of assignCohorts(n, shares)) counts[c]++;
  return counts;
}

/**
 * What is wrong with cohort shares, in words (null when they are usable): at least two known cohorts, each share above 0,
 * summing to 1; and, at a training size, every cohort getting at least one example.
 */
export function cohortSharesProblem(shares: Record<string, number>, trainSizes: readonly number[] = []): string | null {
  const names = Object.keys(shares);
  const unknown = names.filter((c) => !isCohortForm(c));
  if (unknown.length) return `Unknown cohort ${unknown.map((c) => `“${c}”`).join(', ')}: the cohorts are ${COHORT_FORMS.join(', ')}.`;
  if (names.length < 2) return `Name at least two cohorts, e.g. “us 0.95, caps 0.05”: with ${names.length} there is nothing to compare.`;
  const empty = names.filter((c) => !(shares[c] > 0));
  if (empty.length) return `Cohort ${empty.map((c) => `“${c}”`).join(', ')} has share ${shares[empty[0]]}: an empty cohort has no examples to learn from. Give it a share above 0, or leave it out.`;
  const sum = names.reduce((s, c) => s + shares[c], 0);
  if (Math.abs(sum - 1) > 1e-9) return `The shares sum to ${Number(sum.toFixed(6))}, not 1: they are fractions of the training data (e.g. “us 0.95, caps 0.05”).`;
  for (const n of trainSizes) {
    if (n <= 0) continue;
    const counts = cohortCounts(n, shares);
    const none = names.find((c) => counts[c] === 0);
    if (none) return `At ${n} training examples cohort “${none}” (share ${shares[none]}) gets no example: raise its share to at least ${Number((1 / n).toFixed(4))} or the training size to at least ${Math.ceil(1 / shares[none] - 1e-9)}.`;
  }
  return null;
}

/** Text such as "us 0.95, caps 0.05" (or "us:0.95,caps:0.05") → shares; null when it is not a list of name–number pairs. */
export function parseCohortShares(text: string): Record<string, number> | null {
  const out: Record<string, number> = {};
  const entries = text.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  for (const entry of entries) {
    const m = /^([A-Za-z]+)\s*[: =]\s*([-+0-9.eE]+)$/.exec(entry);
    if (!m || !Number.isFinite(Number(m[2])) || m[1] in out) return null;
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** "us 0.95, caps 0.05": shares as the form shows them. */
export function cohortSharesText(shares: Record<string, number>): string {
  return Object.entries(shares).map(([c, s]) => `${c} ${s}`).join(', ');
}

/** How many times each cohort's examples appear: ∝ share^(−balance), the largest cohort once (balance 1: as often each). */
export function repeatsOf(counts: Record<string, number>, balance: number): Record<string, number> {
  const n = Object.values(counts).reduce((s, k) => s + k, 0);
  const raw = Object.fromEntries(Object.entries(counts).map(([c, k]) => [c, k > 0 ? (k / n) ** -balance : 0]));
  const least = Math.min(...Object.values(raw).filter((r) => r > 0));
  return Object.fromEntries(Object.entries(raw).map(([c, r]) => [c, Math.max(1, Math.round(r / least))]));
}

/**
 * Loss weight of each cohort's examples: ∝ (share in the sampled data)^(−reweight), normalised so the mean weight over
 * the examples is 1 (the learning rate keeps its meaning). reweight 1: every cohort contributes equally to the loss.
 */
export function weightsOf(counts: Record<string, number>, reweight: number): Record<string, number> {
  const n = Object.values(counts).reduce((s, k) => s + k, 0);
  const raw = Object.fromEntries(Object.entries(counts).map(([c, k]) => [c, k > 0 ? (k / n) ** -reweight : 0]));
  const mean = Object.entries(counts).reduce((s, [c, k]) => s + k * raw[c], 0) / n;
  return Object.fromEntries(Object.entries(raw).map(([c, r]) => [c, r / mean]));
}

/**
 * The examples of one Cohorts cell, in training-list order (the trainer shuffles per epoch). Eval items are kept out by
 * cellExamples (split by phrase); the cohort forms only rewrite a phrase, so they cannot bring one back.
 */
export function cohortExamples(settings: CellSettings, seed: number, target: SkillName, evalSet: ReadonlySet<string>): CohortExample[] {
  const shares = settings.cohorts;
  if (!shares) throw new Error('cohortExamples needs cohort shares.');
  const problem = cohortSharesProblem(shares, [settings.trainSize]);
  if (problem) throw new ExperimentSpecError(problem, 'Fix the cohort shares on the Experiments page.');
  for (const [knob, v] of [['balance', settings.balance], ['reweight', settings.reweight]] as const) {
    if (!(v >= 0 && v <= 1)) throw new ExperimentSpecError(`${knob === 'balance' ? 'Balanced sampling' : 'Loss reweighting'} ${v} is outside [0, 1].`, 'Use 0 (off), 1 (full) or a value between.');
  }
  // The clean target data only: replay and added pools have no cohorts.
  const base = cellExamples({ ...settings, addedSize: 0, replay: 0 }, seed, target, evalSet);
  const cohorts = assignCohorts(base.length, shares);
  const forms = base.map((e, i) => {
    const cohort = cohorts[i];
    if (!isCohortForm(cohort)) throw new Error(`Unknown cohort ${cohort}.`);
    return { ...e, prompt: cohortPrompt(e.prompt, target, cohort), cohort, source: e.prompt };
  });
  const counts = cohortCounts(base.length, shares);
  const repeats = repeatsOf(counts, settings.balance);
  const sampled: Record<string, number> = Object.fromEntries(Object.entries(counts).map(([c, k]) => [c, k * repeats[c]]));
  const weights = weightsOf(sampled, settings.reweight);
  return forms.flatMap((e) => Array.from({ length: repeats[e.cohort] }, () => ({ ...e, weight: weights[e.cohort] })));
}
