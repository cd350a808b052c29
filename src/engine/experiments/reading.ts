// The readings under each chart, generated from measured points and paired differences (never from a script): an effect
// is stated only when its interval excludes zero, and only points that were measured are named.
import { resolved, type Estimate } from './resample';
import {
  addedSeries, finalEval, mainKnob, pairedDifference, perplexityChange, phraseSplitSeries, saturationSeries, scoreEstimate, seriesOf, tradeoffSeries, variantOf,
  type Difference, type SeriesPoint,
} from './series';
import type { CellEval, CellSettings, ExperimentSpec, StoredCell } from './types';

/** "0.82 [0.74, 0.90]": the mean and its 95% interval (seeds and eval items resampled). */
export function formatScore(s: Pick<Estimate, 'mean' | 'lo' | 'hi'>): string {
  if (!Number.isFinite(s.lo) || !Number.isFinite(s.hi)) return s.mean.toFixed(2);
  return `${s.mean.toFixed(2)} [${s.lo.toFixed(2)}, ${s.hi.toFixed(2)}]`;
}

function signed(x: number): string {
  const text = x.toFixed(2);
  return x > 0 && Number(text) !== 0 ? `+${text}` : text;
}

/** "+0.08 [-0.02, +0.17]": a difference with its interval, signs written out. */
export function formatDifference(d: Pick<Estimate, 'mean' | 'lo' | 'hi'>): string {
  return `${signed(d.mean)} [${signed(d.lo)}, ${signed(d.hi)}]`;
}

/** "higher (paired difference …)" when the interval excludes zero, else says plainly that the change is not resolved. */
function effect(d: Difference, up = 'higher', down = 'lower'): string {
  if (!resolved(d)) return `not resolved: the paired difference ${formatDifference(d)} includes zero`;
  return `${d.mean > 0 ? up : down}, paired difference ${formatDifference(d)}`;
}

function seedsNote(counts: number[]): string {
  const [lo, hi] = [Math.min(...counts), Math.max(...counts)];
  if (lo === hi) return lo === 1 ? 'One seed: the intervals cover the eval items, not the spread between seeds.' : `${lo} seeds; the intervals resample seeds and eval items.`;
  // A sweep in progress (or partly run): say how many seeds each point has, not the smallest count as if it were all.
  return `${lo}–${hi} seeds per point (the others have not run yet); the intervals resample seeds and eval items${lo === 1 ? ', and cover only the eval items where a point has one seed' : ''}.`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Pairs of final evals of two sets of cells that share a seed (same seed, same eval items). */
function pairsBySeed(from: StoredCell[], to: StoredCell[], at: (c: StoredCell) => CellEval = finalEval): { from: CellEval; to: CellEval }[] {
  return from.flatMap((a) => to.filter((b) => b.seed === a.seed).slice(0, 1).map((b) => ({ from: at(a), to: at(b) })));
}

/** Saturation: the clean curve's ends, then each added pool against the clean point it was added to and the same-size clean control. */
export function saturationReading(spec: ExperimentSpec, cells: StoredCell[]): string {
  const points = saturationSeries(spec, cells);
  if (points.length === 0) return 'No run has finished yet.';
  const knob = mainKnob(spec);
  const what = `held-out exact match on ${spec.target}`;
  const xOf = (c: StoredCell) => (knob === 'trainSize' ? c.settings.trainSize + c.settings.addedSize : (c.settings[knob] as number));
  const cellsAt = (series: string, x: number) => cells.filter((c) => seriesOf(c) === series && xOf(c) === x);
  const where = (x: number) => (knob === 'trainSize' ? `${x} clean examples` : `${knob} ${x}`);
  const compare = (a: SeriesPoint, b: SeriesPoint) => effect(pairedDifference(pairsBySeed(cellsAt(a.series, a.x), cellsAt(b.series, b.x)), [spec.target]));
  const clean = points.filter((p) => p.series === 'clean');
  const sentences: string[] = [];
  if (clean.length === 1) sentences.push(`Only ${where(clean[0].x)} ${knob === 'trainSize' ? 'were' : 'was'} measured on the clean curve: ${formatScore(clean[0])}.`);
  if (clean.length >= 2) {
    const [first, last] = [clean[0], clean.at(-1)!];
    sentences.push(`Going from ${where(first.x)} to ${where(last.x)} took ${what} from ${formatScore(first)} to ${formatScore(last)}: ${compare(first, last)}.`);
    if (clean.length >= 3) {
      const before = clean.at(-2)!;
      sentences.push(`The last step, from ${where(before.x)} (${formatScore(before)}) to ${last.x}, is ${compare(before, last)}.`);
    }
  }
  if (knob === 'trainSize') {
    for (const kind of ['noisy', 'narrow'] as const) {
      const word = kind === 'narrow' ? 'narrower' : 'noisier';
      for (const added of points.filter((p) => p.series === addedSeries(kind))) {
        const settings: CellSettings = cellsAt(added.series, added.x)[0].settings;
        const start = settings.trainSize;
        const adding = `Adding ${settings.addedSize} ${word} examples to ${start} clean ones`;
        const from = clean.find((p) => p.x === start);
        sentences.push(
          from
            ? `${adding} took ${what} from ${formatScore(from)} to ${formatScore(added)}: ${compare(from, added)}.`
            : `${adding} scored ${formatScore(added)}; ${start} clean examples alone were not measured, so there is nothing to compare it with.`,
        );
        const control = clean.find((p) => p.x === added.x);
        if (control) sentences.push(`Against ${added.x} clean examples, the same total (${formatScore(control)}), it is ${compare(control, added)}.`);
      }
    }
  }
  sentences.push(...phraseSentences(spec, cells));
  return `${sentences.join(' ')} ${seedsNote(points.map((p) => p.n))}`;
}

/**
 * Seen- and unseen-phrase accuracy (#12): apart where a point has both kinds of items; where every item's phrase is
 * unseen (the target, split by phrase), one sentence says the scores are unseen-phrase accuracy.
 */
export function phraseSentences(spec: ExperimentSpec, cells: StoredCell[], probe: string = spec.target): string[] {
  const split = phraseSplitSeries(spec, cells, probe);
  if (split.length === 0) return [];
  const both = split.filter((p) => p.seen && p.unseen);
  if (both.length === 0) {
    if (split.every((p) => !p.seen)) return [`Every ${probe} eval item's ticket phrase is absent from every run's training data (split by phrase), so these scores are unseen-phrase accuracy.`];
    return [`Every ${probe} eval item's ticket phrase was trained on in every run, so these scores are seen-phrase accuracy.`];
  }
  return both.map((p) => `${capitalized(p.series)} at ${p.x}: ${probe} items with a trained phrase ${formatScore(p.seen!)} (at least ${p.seen!.items} item${p.seen!.items === 1 ? '' : 's'} a seed), with an untrained phrase ${formatScore(p.unseen!)} (at least ${p.unseen!.items} a seed).`);
}

function methodName(rank: number): string {
  return rank === 0 ? 'full fine-tuning' : `LoRA r${rank}`;
}

/** The name of an axis value in a sentence ("LoRA r4", "full fine-tuning", "lr 0.001"). */
function valueName(spec: ExperimentSpec, value: number): string {
  const knob = mainKnob(spec);
  return knob === 'rank' ? methodName(value) : `${knob} ${value}`;
}

/** Which came first at this eval spacing: the target's rise or the adjacent skills' fall (each the first step whose paired difference from the first eval is resolved). */
function order(spec: ExperimentSpec, runs: StoredCell[], adjacent: string[]): string {
  const steps = runs[0].evals.map((e) => e.step).filter((s) => runs.every((c) => c.evals.some((e) => e.step === s)));
  const at = (c: StoredCell, step: number) => c.evals.find((e) => e.step === step)!;
  const firstResolved = (probes: string[], sign: 1 | -1) =>
    steps.slice(1).find((step) => {
      const d = pairedDifference(runs.map((c) => ({ from: at(c, steps[0]), to: at(c, step) })), probes);
      return resolved(d) && Math.sign(d.mean) === sign;
    });
  const rise = firstResolved([spec.target], 1);
  const fall = adjacent.length ? firstResolved(adjacent, -1) : undefined;
  if (rise === undefined || fall === undefined) return '';
  if (rise === fall) return `; the rise and the fall are both first resolved at step ${rise}, so evals ${steps[1] - steps[0]} steps apart cannot order them`;
  return rise < fall ? `; the rise is resolved first (step ${rise}, the fall at step ${fall})` : `; the fall is resolved first (step ${fall}, the rise at step ${rise})`;
}

/** The first and last evals of each run at one method, with the estimates both readings of a cliff curve quote. */
function curveEnds(spec: ExperimentSpec, runs: StoredCell[]) {
  // Only the first and last evals of each run are estimated here (the chart's curves are computed apart).
  const ends = runs.map((c) => ({ from: c.evals[0], to: c.evals.at(-1)! }));
  return {
    ends,
    at: (which: 'from' | 'to', probe: string) => scoreEstimate(ends.map((e) => e[which]), probe),
    steps: Math.max(...ends.map((e) => e.to.step)),
    /** The adjacent skills every run measured at both ends. */
    adjacent: spec.adjacent.filter((s) => runs.every((c) => s in c.evals[0].scores && s in c.evals.at(-1)!.scores)),
    meanOf: (which: 'from' | 'to', skills: string[]) => ends.reduce((s, e) => s + skills.reduce((t, k) => t + e[which].scores[k], 0) / skills.length, 0) / ends.length,
  };
}

/** The second axis's value the curves show (its first unless one is chosen), and its words after a method's name. */
function chosenVariantOf(spec: ExperimentSpec, variant?: number): { chosenVariant: number | undefined; which: string } {
  const second = spec.axes[1];
  const chosenVariant = second ? (variant ?? second.values[0]) : undefined;
  return { chosenVariant, which: second ? ` with ${second.knob} ${chosenVariant}` : '' };
}

/** One sentence for the runs at one value of the first axis. */
function cliffSentence(spec: ExperimentSpec, cells: StoredCell[], value: number, variant: number | undefined, which: string): string {
  const name = `${capitalized(valueName(spec, value))}${which}`;
  const knob = mainKnob(spec);
  const runs = cells.filter((c) => c.settings[knob] === value && variantOf(spec, c) === variant);
  if (runs.length === 0) return `${name}: no run has finished yet.`;
  if (runs.some((c) => c.evals.length < 2)) return `${name}: each run has one eval point, so there is no curve (set an eval interval).`;
  const { ends, at, steps, adjacent, meanOf } = curveEnds(spec, runs);
  let sentence = `${name}, over ${steps} steps: exact match on ${spec.target} went from ${formatScore(at('from', spec.target))} to ${formatScore(at('to', spec.target))} (${effect(pairedDifference(ends, [spec.target]), 'a rise', 'a fall')})`;
  if (adjacent.length) {
    const drops = adjacent.map((skill) => ({ skill, drop: meanOf('from', [skill]) - meanOf('to', [skill]) }));
    const worst = drops.reduce((a, b) => (b.drop > a.drop ? b : a));
    sentence += `; the adjacent skills' mean went from ${meanOf('from', adjacent).toFixed(2)} to ${meanOf('to', adjacent).toFixed(2)} (${effect(pairedDifference(ends, adjacent), 'a rise', 'a fall')})`;
    if (worst.drop > 0) sentence += `, the largest mean drop ${worst.skill} ${formatScore(at('from', worst.skill))} → ${formatScore(at('to', worst.skill))}`;
    sentence += order(spec, runs, adjacent);
  }
  return `${sentence}.`;
}

/** Cliff curves: one sentence per value of the first axis (per rank), each naming its method; the chart shows the first. */
export function cliffReading(spec: ExperimentSpec, cells: StoredCell[], variant?: number): string {
  const { chosenVariant, which } = chosenVariantOf(spec, variant);
  const values = spec.axes[0]?.values ?? [spec.fixed[mainKnob(spec)] as number];
  const runs = cells.filter((c) => variantOf(spec, c) === chosenVariant);
  if (runs.length === 0) return 'No run has finished yet.';
  const sentences = values.map((v) => cliffSentence(spec, runs, v, chosenVariant, which));
  // TICK shares ROUTE's phrases with other labels: its items whose phrase the run trained on (as ROUTE) apart from the rest.
  for (const probe of spec.adjacent.filter((s) => runs.some((c) => c.seenPhrase?.[s]?.some((f) => f)))) {
    const both = phraseSplitSeries(spec, runs, probe).filter((p) => p.seen && p.unseen);
    if (both.length) sentences.push(`At the last eval, ${probe} items whose phrase was trained on (as ${spec.target}) against the rest: ${both.map((p) => `${valueName(spec, p.x)} ${formatScore(p.seen!)} against ${formatScore(p.unseen!)}`).join('; ')}.`);
  }
  const counts = values.map((v) => runs.filter((c) => c.settings[mainKnob(spec)] === v).length).filter((k) => k > 0);
  return `${sentences.join(' ')} ${seedsNote(counts)}`;
}

/** A change in a few words for the stage: "a rise of +0.40 [+0.10, +0.70]" or "not resolved (+0.02 [−0.10, +0.14])". */
function shortEffect(d: Difference): string {
  return resolved(d) ? `${d.mean > 0 ? 'a rise' : 'a fall'} of ${formatDifference(d)}` : `not resolved (${formatDifference(d)})`;
}

/**
 * The presentation view's reading of one curves chart, short enough for 1280×720: the target's first and last eval
 * and the adjacent skills' mean, each with its paired change, for the one method (first-axis value) the chart plots,
 * then where the others are. The page's reading has the full sentence for every method.
 */
export function cliffStageReading(spec: ExperimentSpec, cells: StoredCell[], value: number, variant?: number): string {
  const { chosenVariant, which } = chosenVariantOf(spec, variant);
  const name = `${capitalized(valueName(spec, value))}${which}`;
  const runs = cells.filter((c) => variantOf(spec, c) === chosenVariant && c.settings[mainKnob(spec)] === value);
  const others = (spec.axes[0]?.values ?? []).filter((v) => v !== value).map((v) => valueName(spec, v));
  // Cliff with replay plots each share on its own slide; the cliff plots its first method and compares all on the trade-off slide.
  const rest = others.length ? ` ${capitalized(others.join(', '))}: ${spec.preset === 'cliff-replay' ? 'on their own slides' : 'on the learns-vs-forgets slide'}.` : '';
  if (runs.length === 0 || runs.some((c) => c.evals.length < 2)) return `${name}: no curve yet.${rest}`;
  const { ends, at, steps, adjacent, meanOf } = curveEnds(spec, runs);
  let text = `${name}, ${steps} steps: ${spec.target} ${formatScore(at('from', spec.target))} → ${formatScore(at('to', spec.target))}, ${shortEffect(pairedDifference(ends, [spec.target]))}`;
  if (adjacent.length) {
    text += `; the other skills' mean ${meanOf('from', adjacent).toFixed(2)} → ${meanOf('to', adjacent).toFixed(2)}, ${shortEffect(pairedDifference(ends, adjacent))}`;
  }
  return `${text}.${rest} ${runs.length === 1 ? 'One seed.' : `${runs.length} seeds; intervals over seeds and items.`}`;
}

/** Held-out text perplexity per value of the first axis: first and last eval, and their paired change (lower is better). */
export function perplexityReading(spec: ExperimentSpec, cells: StoredCell[], probe: string, variant?: number): string {
  const second = spec.axes[1];
  const chosenVariant = second ? (variant ?? second.values[0]) : undefined;
  const which = second ? ` with ${second.knob} ${chosenVariant}` : '';
  const knob = mainKnob(spec);
  const values = spec.axes[0]?.values ?? [spec.fixed[knob] as number];
  const sentences: string[] = [];
  const counts: number[] = [];
  for (const value of values) {
    const name = `${capitalized(valueName(spec, value))}${which}`;
    const runs = cells.filter((c) => c.settings[knob] === value && variantOf(spec, c) === chosenVariant && c.evals.length >= 2 && probe in c.evals[0].scores);
    if (runs.length === 0) {
      sentences.push(`${name}: no run with perplexity before and after training has finished yet.`);
      continue;
    }
    counts.push(runs.length);
    const ends = runs.map((c) => ({ from: c.evals[0], to: c.evals.at(-1)! }));
    const [p0, p1] = [scoreEstimate(ends.map((e) => e.from), probe), scoreEstimate(ends.map((e) => e.to), probe)];
    const change = perplexityChange(ends, probe);
    const verdict = resolved(change) ? `${change.mean > 0 ? 'higher' : 'lower'}, paired difference ${formatDifference(change)}` : `not resolved: the paired difference ${formatDifference(change)} includes zero`;
    sentences.push(`${name}: held-out text perplexity went from ${formatScore(p0)} at step ${ends[0].from.step} to ${formatScore(p1)} at step ${Math.max(...ends.map((e) => e.to.step))} (${verdict}).`);
  }
  return counts.length ? `${sentences.join(' ')} ${seedsNote(counts)}` : 'No perplexity points yet.';
}

/** True when two cells' first evals scored the same items the same way (both are the untouched base on one seed's items). */
function sameStart(a: StoredCell, b: StoredCell, probes: readonly string[]): boolean {
  const [x, y] = [a.evals[0], b.evals[0]];
  return probes.every((p) => x.items?.[p] !== undefined && JSON.stringify(x.items[p]) === JSON.stringify(y.items?.[p]));
}

/** The arms a trade-off compares against a baseline at 0 on the axis: each LoRA rank against full fine-tuning, each replay share against none. */
const COMPARED: Partial<Record<string, { baseline: string; short: (value: number) => string }>> = {
  rank: { baseline: 'full fine-tuning', short: (v) => (v === 0 ? 'full FT' : `LoRA r${v}`) },
  replay: { baseline: 'no replay', short: (v) => (v === 0 ? 'no replay' : `replay ${v}`) },
};

/**
 * Each arm against the axis's 0 at the same step count, paired by seed and item: LoRA ranks against full fine-tuning
 * (Biderman et al.'s question at fixed steps), replay shares against no replay (what the fix keeps, and what it costs on
 * the target). The other skills' mean and the target at the last eval, arm − baseline: both runs of a seed start from
 * the same base on the same items, so the difference of the last evals is the difference of what each forgot (or learnt).
 * Empty unless the first axis is the rank or the replay share with 0 on it and no second axis splits the runs.
 */
export function armComparisons(spec: ExperimentSpec, cells: StoredCell[]): { value: number; seeds: number; forgetting: Difference; target: Difference }[] {
  const knob = mainKnob(spec);
  if (!COMPARED[knob] || spec.axes[1] || !spec.axes[0]?.values.includes(0)) return [];
  const done = cells.filter((c) => c.evals.length >= 2);
  const baseline = done.filter((c) => c.settings[knob] === 0);
  const adjacent = spec.adjacent.filter((s) => done.every((c) => s in c.evals[0].scores));
  return spec.axes[0].values
    .filter((v) => v > 0)
    .flatMap((value) => {
      const pairs = done
        .filter((c) => c.settings[knob] === value)
        .flatMap((arm) => baseline.filter((b) => b.seed === arm.seed && sameStart(arm, b, [spec.target, ...adjacent])).slice(0, 1).map((b) => ({ from: finalEval(b), to: finalEval(arm) })));
      if (pairs.length === 0 || adjacent.length === 0) return [];
      return [{ value, seeds: pairs.length, forgetting: pairedDifference(pairs, adjacent), target: pairedDifference(pairs, [spec.target]) }];
    });
}

/** "LoRA r4 − full fine-tuning at the last eval, paired by seed (5) and item: the other skills' mean +0.13 [+0.05, +0.21]: LoRA r4 forgot less; ROUTE …". */
function comparisonSentence(spec: ExperimentSpec, c: ReturnType<typeof armComparisons>[number]): string {
  const arm = valueName(spec, c.value);
  const says = (d: Difference, more: string, less: string) => (resolved(d) ? `${formatDifference(d)}: ${arm} ${d.mean > 0 ? more : less}` : `${formatDifference(d)}, not resolved`);
  return `${capitalized(arm)} − ${COMPARED[mainKnob(spec)]!.baseline} at the last eval, paired by seed (${c.seeds}) and item: the other skills' mean ${says(c.forgetting, 'forgot less', 'forgot more')}; ${spec.target} ${says(c.target, 'learnt more', 'learnt less')}.`;
}

/** Trade-off: gain on the target vs loss on the rest, per rank (or other axis value), each flagged when not resolved. */
export function tradeoffReading(spec: ExperimentSpec, cells: StoredCell[]): string {
  const points = tradeoffSeries(spec, cells);
  if (points.length === 0) return 'No finished run has eval points before and after training yet.';
  const second = spec.axes[1]?.knob;
  const label = (p: (typeof points)[number]) => `${valueName(spec, p.x)}${second && p.variant !== undefined ? ` with ${second} ${p.variant}` : ''}`;
  const unresolved = (d: Difference) => (resolved(d) ? '' : ' (not resolved: the interval includes zero)');
  const parts = points.map((p) => {
    const loss = Number.isFinite(p.loss.mean) ? ` and lost ${formatScore(p.loss)} on the rest${unresolved(p.loss)}` : '';
    return `${label(p)} gained ${formatScore(p.gain)} on ${spec.target}${unresolved(p.gain)}${loss}`;
  });
  const comparisons = armComparisons(spec, cells).map((c) => ` ${comparisonSentence(spec, c)}`).join('');
  return `${capitalized(parts.join('; '))}.${comparisons} ${seedsNote(points.map((p) => p.gain.n))}`;
}

/**
 * The trade-off slide's reading on stage, short enough for 1280×720: each arm's gain / loss, then each LoRA rank
 * against full fine-tuning (or replay share against none) in a few words (undefined where there is no such comparison: the page reading is used).
 */
export function tradeoffStageReading(spec: ExperimentSpec, cells: StoredCell[]): string | undefined {
  const comparisons = armComparisons(spec, cells);
  if (comparisons.length === 0) return undefined;
  const points = tradeoffSeries(spec, cells);
  const short = COMPARED[mainKnob(spec)]!.short;
  const ends = points.map((p) => `${short(p.x)} ${signed(p.gain.mean)} / ${signed(-p.loss.mean)}`).join(', ');
  const word = (d: Difference, more: string, less: string, what: string) => (resolved(d) ? `${d.mean > 0 ? more : less} (${formatDifference(d)})` : `${what} not resolved (${formatDifference(d)})`);
  const versus = comparisons.map((c) => `${capitalized(short(c.value))} vs ${short(0)}: ${word(c.forgetting, 'forgot less', 'forgot more', 'forgetting')}, ${word(c.target, 'learnt more', 'learnt less', spec.target)}.`).join(' ');
  const n = Math.min(...comparisons.map((c) => c.seeds));
  return `${spec.target} gain / other skills' change: ${ends}. ${versus} Paired by seed (${n === Math.max(...comparisons.map((c) => c.seeds)) ? n : `${n}+`}) and item.`;
}
