// The Embedding gap reading, generated from the measured points: a gain is stated only where its interval excludes zero.
import { resolved } from '../resample';
import { formatDifference, formatScore } from '../reading';
import type { EmbeddingGapPoint } from './series';

function seedsNote(n: number, items: number): string {
  return n === 1 ? `One seed, ${items} test tickets: the intervals cover the tickets, not the spread between seeds.` : `${n} seeds, ${items} test tickets; the intervals resample seeds and the tickets within each.`;
}

/** What the points of one metric show: the base's level, the gain at each pair count, the smallest count that resolves one, and whether more pairs helped. */
export function embeddingGapReading(metricLabel: string, points: readonly EmbeddingGapPoint[], chance?: number, options: { short?: boolean } = {}): string {
  if (!points.length) return 'No cell has finished yet.';
  const base = points[0].base;
  const sentences: string[] = [];
  sentences.push(`The base as an embedder scores ${metricLabel} ${formatScore(base)}${chance !== undefined ? ` (chance ${chance.toFixed(2)})` : ''}.`);
  if (!options.short) sentences.push(
    `Fine-tuned: ${points.map((p) => `${p.pairs} pairs → ${formatScore(p.tuned)} (difference ${formatDifference(p.difference)}${resolved(p.difference) ? '' : ', not resolved'})`).join('; ')}.`,
  );
  const first = points.find((p) => resolved(p.difference) && p.difference.mean > 0);
  sentences.push(first ? `The smallest number of pairs whose gain excludes zero: ${first.pairs}${options.short ? ` (${formatDifference(first.difference)})` : ''}.` : 'No number of pairs tried gives a gain whose interval excludes zero.');
  const worse = points.filter((p) => resolved(p.difference) && p.difference.mean < 0);
  if (worse.length) sentences.push(`Fine-tuned on ${worse.map((p) => p.pairs).join(', ')} pairs, the model scores below the base (the interval excludes zero).`);
  if (points.length > 1) {
    const [low, high] = [points[0], points.at(-1)!];
    const more = high.tuned.lo > low.tuned.hi ? `more pairs helped: ${high.pairs} pairs score above ${low.pairs} pairs with intervals apart` : high.tuned.hi < low.tuned.lo ? `more pairs hurt: ${high.pairs} pairs score below ${low.pairs} pairs with intervals apart` : `${low.pairs} and ${high.pairs} pairs are not told apart (their intervals overlap)`;
    sentences.push(`Between the ends, ${more}.`);
  }
  sentences.push(seedsNote(Math.min(...points.map((p) => p.seeds)), base.items));
  return sentences.join(' ');
}
