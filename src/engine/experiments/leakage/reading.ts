// The Leakage readings, generated from the measured canaries and attack scores: an effect is stated only when its
// interval excludes zero (or, for an AUC, 0.5), and only what was measured is named.
import { resolved, type Estimate } from '../resample';
import { formatDifference, formatScore } from '../reading';
import type { ExperimentSpec, StoredCell } from '../types';
import {
  cellsOf, epochAt, exposureAtRepetitions, exposureChange, exposureGap, exposureSlope, lastExposureEval, maxExposure, methodExposureDifference,
  methodLabel, methodsOf, miaChange, miaFinal, miaMethodDifference, tprAt1FprMean, type Attack,
} from './series';

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A method's name inside a sentence: "LoRA r8", "full fine-tuning". */
function methodWords(spec: ExperimentSpec, value: number): string {
  const label = methodLabel(spec, value);
  return label === 'full FT' ? 'full fine-tuning' : label;
}

function seedsNote(n: number, within: string): string {
  return n === 1 ? `One seed: the intervals cover the ${within}, not the spread between seeds.` : `${n} seeds; the intervals resample seeds and the ${within} within each.`;
}

/** "rises, difference +x [lo, hi]" when resolved, else "not resolved (the difference … includes zero)". */
function effect(d: Pick<Estimate, 'mean' | 'lo' | 'hi'>, up: string, down: string, unit = '', noun = 'difference'): string {
  if (!resolved(d)) return `not resolved (the ${noun} ${formatDifference(d)}${unit} includes zero)`;
  return `${d.mean > 0 ? up : down}, ${noun} ${formatDifference(d)}${unit}`;
}

/** "1 epoch", "2.5 epochs". */
function epochs(e: number): string {
  const n = Number(e.toFixed(2));
  return `${n} epoch${n === 1 ? '' : 's'}`;
}

function bits(e: Pick<Estimate, 'mean' | 'lo' | 'hi'>): string {
  return `${formatScore(e)} bits`;
}

/** The issue's demonstration: a secret seen this often is extracted while one seen once is not, in the same run. */
export const DEMO_REPETITIONS = 8;

/**
 * Per run (one seed) at its last checkpoint: is every canary seen `often`× extracted and no canary seen `once`×? "In k
 * of n runs", with the extraction counts it rests on.
 */
function demoRuns(runs: StoredCell[], once: number, often: number): number {
  return runs.filter((c) => {
    const canaries = lastExposureEval(c).leakage.canaries;
    const [a, b] = [canaries.filter((x) => x.repetitions === often), canaries.filter((x) => x.repetitions === once)];
    return a.length > 0 && b.length > 0 && a.every((x) => x.extracted) && !b.some((x) => x.extracted);
  }).length;
}

function demoSentence(runs: StoredCell[], once: number, often: number): string {
  const holds = demoRuns(runs, once, often);
  const verdict = holds === runs.length ? 'holds in every run' : holds === 0 ? 'holds in no run' : 'holds in some runs only';
  return `Every ${often}× secret extracted and no ${once}× secret, in the same run: ${verdict} (${holds} of ${runs.length})`;
}

/** "k/n": of the canaries seen r× in these runs, how many greedy decoding emitted at each run's last checkpoint. */
function extractedOf(runs: StoredCell[], r: number): string {
  const group = runs.flatMap((c) => lastExposureEval(c).leakage.canaries.filter((x) => x.repetitions === r));
  return `${group.filter((x) => x.extracted).length}/${group.length}`;
}

/**
 * The exposure reading short enough for a presentation slide at 1280×720 (the chart beside it shows the exposures): per
 * method at the last checkpoint, how many secrets greedy decoding emitted per count and the demonstration's verdict
 * run by run. The page keeps exposureReading in full (exposure with intervals, slope, the methods paired).
 */
export function exposureStageReading(spec: ExperimentSpec, cells: StoredCell[]): string {
  const methods = methodsOf(spec, cells).filter((m) => cellsOf(spec, cells, m).length > 0);
  const counts = spec.leakage?.repetitions ?? [];
  if (!methods.length || !counts.length) return 'No run has finished yet.';
  const low = counts[0];
  let n = Infinity;
  const sentences = methods.map((m) => {
    const runs = cellsOf(spec, cells, m);
    n = Math.min(n, runs.length);
    const demo = low < DEMO_REPETITIONS && counts.includes(DEMO_REPETITIONS) ? `; every ${DEMO_REPETITIONS}× and no ${low}× secret out in ${demoRuns(runs, low, DEMO_REPETITIONS)} of ${runs.length} runs` : '';
    const extracted = counts.map((r, i) => `${extractedOf(runs, r)}${i === 0 ? ' seen ' : ' '}${r}×`).join(', ');
    return `${capitalized(methodWords(spec, m))}, ${epochs(lastExposureEval(runs[0]).leakage.epoch)}: secrets extracted ${extracted}${demo}.`;
  });
  return `${sentences.join(' ')} ${n === 1 ? 'One seed.' : `${n} seeds.`} Exposure in bits, with intervals: the chart and the page.`;
}

/** Exposure against repetitions at the last checkpoint: per method the ends, the slope per doubling, the controls, extraction; then the methods paired. */
export function exposureReading(spec: ExperimentSpec, cells: StoredCell[]): string {
  const methods = methodsOf(spec, cells).filter((m) => cellsOf(spec, cells, m).length > 0);
  const counts = spec.leakage?.repetitions ?? [];
  if (!methods.length || !counts.length) return 'No run has finished yet.';
  const [low, high] = [counts[0], counts.at(-1)!];
  const top = maxExposure(cells);
  const sentences: string[] = [];
  let n = Infinity;
  for (const m of methods) {
    const runs = cellsOf(spec, cells, m);
    n = Math.min(n, runs.length);
    const last = lastExposureEval(runs[0]);
    const name = capitalized(methodWords(spec, m));
    const at = (r: number) => exposureAtRepetitions(spec, cells, m, r);
    const [lo, hi, control] = [at(low), at(high), at(0)];
    let s = `${name}, after ${last.step} steps (${epochs(last.leakage.epoch)}): canaries seen ${low}× have exposure ${lo ? bits(lo) : 'not measured'}, seen ${high}× ${hi ? bits(hi) : 'not measured'} (at most ${top.toFixed(2)} bits = log2 of ${last.leakage.candidates.toLocaleString('en-US')} secrets)`;
    if (control) s += `, never-inserted controls ${bits(control)}`;
    const slope = exposureSlope(spec, cells, m);
    if (slope) s += `; exposure per doubling of repetitions: ${effect(slope, 'rises', 'falls', ' bits', 'slope')}`;
    const gap = exposureGap(spec, cells, m, low, high);
    if (gap) s += `; ${high}× against ${low}×: ${effect(gap, 'higher', 'lower', ' bits')}`;
    const once = exposureGap(spec, cells, m, 0, low);
    if (once) s += `; ${low}× against the controls: ${effect(once, 'higher', 'lower', ' bits')}`;
    const extracted = counts.map((r) => `${extractedOf(runs, r)} at ${r}×`);
    const demo = low < DEMO_REPETITIONS && counts.includes(DEMO_REPETITIONS) ? ` ${demoSentence(runs, low, DEMO_REPETITIONS)}.` : '';
    sentences.push(`${s}. Greedy decoding from the prefix emits the secret for ${extracted.join(', ')}.${demo}`);
  }
  if (methods.length >= 2) {
    const [a, b] = methods;
    for (const r of [high, low]) {
      const d = methodExposureDifference(spec, cells, a, b, r);
      if (d) sentences.push(`${capitalized(methodWords(spec, b))} against ${methodWords(spec, a)}, same seeds and canaries, at ${r}×: ${effect(d, 'higher', 'lower', ' bits')}.`);
    }
  }
  return `${sentences.join(' ')} ${seedsNote(n, 'canaries')}`;
}

/** The steps at which every run measured its canaries' exposure, in order. */
function exposureSteps(runs: StoredCell[]): number[] {
  const measured = (c: StoredCell, step: number) => c.evals.some((e) => e.step === step && e.leakage?.canaries.length);
  return runs[0].evals.filter((e) => e.leakage?.canaries.length).map((e) => e.step).filter((s) => runs.every((c) => measured(c, s)));
}

/** Exposure over steps for one method: each repetition count from the first measured checkpoint to the last, paired per canary. */
export function exposureStepsReading(spec: ExperimentSpec, cells: StoredCell[], method: number): string {
  const runs = cellsOf(spec, cells, method);
  if (!runs.length) return 'No run has finished yet.';
  const steps = exposureSteps(runs);
  const name = capitalized(methodWords(spec, method));
  if (steps.length < 2) return `${name}: exposure was measured at one checkpoint only, so there is no change over steps to read.`;
  const [from, to] = [steps[0], steps.at(-1)!];
  const parts = [...(spec.leakage?.repetitions ?? []), 0].flatMap((r) => {
    const d = exposureChange(spec, cells, method, r, from, to);
    return d ? [`${r === 0 ? 'the controls' : `${r}×`}: ${effect(d, 'rose', 'fell', ' bits')}`] : [];
  });
  return `${name}, from step ${from} (epoch ${epochAt(runs, from)}) to step ${to} (epoch ${epochAt(runs, to)}), paired per canary: ${parts.join('; ')}. ${seedsNote(runs.length, 'canaries')}`;
}

/**
 * The exposure-over-steps reading short enough for a slide at 1280×720: per count, the mean change per canary from
 * the first measured checkpoint to the last, "(not resolved)" where its interval includes zero. The page keeps
 * exposureStepsReading in full (the intervals).
 */
export function exposureStepsStageReading(spec: ExperimentSpec, cells: StoredCell[], method: number): string {
  const runs = cellsOf(spec, cells, method);
  if (!runs.length) return 'No run has finished yet.';
  const steps = exposureSteps(runs);
  if (steps.length < 2) return exposureStepsReading(spec, cells, method);
  const [from, to] = [steps[0], steps.at(-1)!];
  const parts = [...(spec.leakage?.repetitions ?? []), 0].flatMap((r) => {
    const d = exposureChange(spec, cells, method, r, from, to);
    return d ? [`${r === 0 ? 'never inserted' : `${r}×`} ${d.mean >= 0 ? '+' : '−'}${Math.abs(d.mean).toFixed(1)}${resolved(d) ? '' : ' (not resolved)'}`] : [];
  });
  const n = runs.length;
  return `${capitalized(methodWords(spec, method))}, epoch ${epochAt(runs, from)} to ${epochAt(runs, to)}, change in exposure per canary (bits): ${parts.join(', ')}. ${n === 1 ? 'One seed.' : `${n} seeds.`} Intervals: on the page.`;
}

function aucWords(e: Pick<Estimate, 'mean' | 'lo' | 'hi'>): string {
  if (e.lo > 0.5) return 'above chance (the interval excludes 0.5)';
  if (e.hi < 0.5) return 'below chance (the interval excludes 0.5)';
  return 'not resolved from chance (the interval includes 0.5)';
}

/** MIA AUC per method and attack: at the last checkpoint against 0.5, its change from the first trained checkpoint, TPR at 1% FPR. */
export function miaReading(spec: ExperimentSpec, cells: StoredCell[]): string {
  const methods = methodsOf(spec, cells).filter((m) => cellsOf(spec, cells, m).length > 0);
  if (!methods.length) return 'No run has finished yet.';
  const sentences: string[] = [];
  let n = Infinity;
  for (const m of methods) {
    const runs = cellsOf(spec, cells, m);
    n = Math.min(n, runs.length);
    const steps = runs[0].evals.map((e) => e.step).filter((s) => s > 0 && runs.every((c) => c.evals.some((e) => e.step === s && e.leakage)));
    const parts = (['loss', 'calibrated'] as Attack[]).map((attack) => {
      const final = miaFinal(spec, cells, m, attack)!;
      let s = `${capitalized(methodWords(spec, m))}, ${attack} attack: AUC after ${epochs(final.epoch)} is ${formatScore(final)}, ${aucWords(final)}`;
      if (steps.length >= 2) {
        const d = miaChange(spec, cells, m, attack, steps[0], steps.at(-1)!);
        if (d) s += `; from epoch ${epochAt(runs, steps[0])} to ${epochAt(runs, steps.at(-1)!)}: ${effect(d, 'rose', 'fell')}`;
      }
      return `${s}; TPR at 1% FPR ${tprAt1FprMean(spec, cells, m, attack, final.step).toFixed(2)} (mean over seeds)`;
    });
    sentences.push(`${parts.join('. ')}.`);
  }
  if (methods.length >= 2) {
    const [a, b] = methods;
    const parts = (['loss', 'calibrated'] as Attack[]).flatMap((attack) => {
      const d = miaMethodDifference(spec, cells, a, b, attack);
      return d ? [`${attack} attack ${effect(d, 'higher', 'lower')}`] : [];
    });
    if (parts.length) sentences.push(`${capitalized(methodWords(spec, b))} against ${methodWords(spec, a)} at the last checkpoint, same seeds and records: ${parts.join('; ')}.`);
  }
  const members = cellsOf(spec, cells, methods[0])[0].evals[0].leakage?.mia.loss.members.length ?? 0;
  return `${sentences.join(' ')} ${members} training lines against ${members} held-out lines of the same pool per seed. ${seedsNote(n, 'records')}`;
}

/** "above chance" / "below chance" / "not resolved": aucWords without its reason, for a slide. */
function aucVerdict(e: Pick<Estimate, 'lo' | 'hi'>): string {
  return e.lo > 0.5 ? 'above chance' : e.hi < 0.5 ? 'below chance' : 'not resolved from chance';
}

/**
 * The MIA reading short enough for a presentation slide at 1280×720: per method, both attacks' AUC at the last
 * checkpoint and whether each clears 0.5. The page keeps miaReading in full (changes over epochs, TPR at 1% FPR).
 */
export function miaStageReading(spec: ExperimentSpec, cells: StoredCell[]): string {
  const methods = methodsOf(spec, cells).filter((m) => cellsOf(spec, cells, m).length > 0);
  if (!methods.length) return 'No run has finished yet.';
  let n = Infinity;
  const sentences = methods.map((m) => {
    n = Math.min(n, cellsOf(spec, cells, m).length);
    const [loss, calibrated] = (['loss', 'calibrated'] as Attack[]).map((attack) => miaFinal(spec, cells, m, attack)!);
    return `${capitalized(methodWords(spec, m))} after ${epochs(calibrated.epoch)}: calibrated attack AUC ${formatScore(calibrated)}, ${aucVerdict(calibrated)}; loss attack ${formatScore(loss)}, ${aucVerdict(loss)}.`;
  });
  return `${sentences.join(' ')} ${n === 1 ? 'One seed.' : `${n} seeds.`} Changes over epochs and TPR at 1% FPR: on the page.`;
}
