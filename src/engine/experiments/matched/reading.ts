// The matched-gain reading, generated from the measured cells: which runs reached the target and when, what each forgot there, and LoRA − full only as far as its interval resolves.
import { formatDifference, formatScore } from '../reading';
import { resolved } from '../resample';
import type { ExperimentSpec, StoredCell } from '../types';
import { bestPoint, matchedComparisons, matchedPoints, methodName, type MatchedPoint } from './series';

const lrText = (lr: number) => String(Number(lr.toPrecision(3)));

function range(steps: number[]): string {
  const [lo, hi] = [Math.min(...steps), Math.max(...steps)];
  return lo === hi ? `step ${lo}` : `steps ${lo}–${hi}`;
}

function pointSentence(spec: ExperimentSpec, p: MatchedPoint): string {
  const name = `${p.method} at lr ${lrText(p.lr)}`;
  const missed = p.cells.filter((c) => c.matched!.reachedStep === null);
  const missedText = missed.length
    ? `; never reached in ${missed.map((c) => `seed ${c.seed} (best dev ${Math.max(0, ...c.matched!.checks.map((k) => k.accuracy)).toFixed(2)} by the ${c.settings.steps}-step cap)`).join(', ')}`
    : '';
  if (p.reached.length === 0) return `${name}: no run reached the target${missedText}.`;
  const ppl = p.perplexityRise ? `, held-out perplexity rose by ${formatScore(p.perplexityRise)}` : '';
  const forgot = p.forgetting ? `; there it had lost ${formatScore(p.forgetting)} of the other skills' exact match${ppl}` : '';
  return `${name}: reached it in ${p.reached.length} of ${p.cells.length} runs at ${range(p.stopSteps)} (${spec.target} on the reported items ${formatScore(p.targetAtStop!)})${forgot}${missedText}.`;
}

function verdict(d: { mean: number; lo: number; hi: number }, less: string, more: string): string {
  if (!resolved(d)) return `not resolved (${formatDifference(d)} includes zero)`;
  return `${d.mean < 0 ? less : more}, ${formatDifference(d)}`;
}

/** The whole reading: the rule, one sentence per method and rate, then each LoRA rank against full fine-tuning. */
export function matchedReading(spec: ExperimentSpec, cells: StoredCell[]): string {
  const m = spec.matched;
  if (!m) return '';
  const points = matchedPoints(spec, cells);
  if (points.length === 0) return 'No run has finished yet.';
  const sentences = [`Each run stopped at the first check (every ${m.checkEvery} steps) where ${spec.target} reached ${m.targetAccuracy} on ${m.devItems} dev items.`];
  sentences.push(...points.map((p) => pointSentence(spec, p)));
  const comparisons = matchedComparisons(spec, cells);
  for (const c of comparisons) {
    const ppl = c.perplexity ? `; held-out perplexity rise ${verdict(c.perplexity, `lower with ${c.lora.method}`, `higher with ${c.lora.method}`)}` : '';
    sentences.push(
      `${c.lora.method} (best at lr ${lrText(c.lora.lr)}) − full FT (best at lr ${lrText(c.full.lr)}), paired by seed (${c.seeds.length}): forgetting of the other skills ${verdict(c.forgetting, `${c.lora.method} forgot less`, `${c.lora.method} forgot more`)}${ppl}; ${spec.target} on the reported items at the stop ${verdict(c.target, `lower with ${c.lora.method}`, `higher with ${c.lora.method}`)}.`,
    );
  }
  if (comparisons.length === 0) {
    const missing = [...new Set(points.map((p) => p.rank))].filter((r) => !bestPoint(points, r)).map(methodName);
    sentences.push(`No comparison yet: ${missing.length ? `${missing.join(' and ')} reached the target in every run at no learning rate` : 'the methods share no seed'}.`);
  }
  const n = Math.min(...points.map((p) => p.cells.length));
  sentences.push(n === 1 ? 'One seed: the intervals cover the eval items, not the spread between seeds.' : `${n} seeds; the intervals resample seeds and eval items; each method's best rate is picked on these same runs.`);
  return sentences.join(' ');
}
