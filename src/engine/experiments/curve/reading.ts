// The learning curve's reading in plain words, computed from the measured numbers: the expected gain from doubling the
// data (by the fit, with its interval) or "flat", the measured change between the two largest sizes. It names only
// sizes that were measured.
import type { CurveEstimate, CurveMetric, Interval } from './estimate';
import { MIN_POINTS_FOR_FLOOR } from './fit';

const NAMES: Record<CurveMetric, string> = { loss: 'validation loss', error: 'the exact-match error' };

function fmt(metric: CurveMetric, x: number): string {
  const text = metric === 'error' ? `${(100 * x).toFixed(1)} points` : x.toFixed(3);
  return text.replace(/^-(?=[0-9.]*[1-9])/, '−').replace(/^-/, '');
}

/** A level (not a difference): loss as is, the error as a percentage. */
function value(metric: CurveMetric, x: number): string {
  return metric === 'error' ? `${(100 * x).toFixed(1)}%` : x.toFixed(3);
}

function range(metric: CurveMetric, i: Interval): string {
  return `95% interval ${fmt(metric, i.lo)} to ${fmt(metric, i.hi)}`;
}

/** Which curve was fitted, in words. */
export function fitWords(estimate: Pick<CurveEstimate, 'fit' | 'points'>): string {
  const fit = estimate.fit;
  if (!fit) return 'No curve fitted.';
  const sizes = estimate.points.length;
  const power = `n^(${fmt('loss', -fit.b)})`;
  if (fit.kind === 'floor') return `Fitted: a power law with a floor, y ≈ ${fit.a.toPrecision(3)}·${power} + ${fit.c.toPrecision(3)}.`;
  const why = sizes < MIN_POINTS_FOR_FLOOR ? `${sizes} sizes cannot pin down a floor` : 'the measured points do not pin down a floor';
  return `Fitted: log-log linear, y ≈ ${fit.a.toPrecision(3)}·${power} (no floor: ${why}).`;
}

/**
 * The reading of one metric's curve. Every size it names is a measured one (the doubling is said as "doubling the
 * data from N examples", N the largest measured), every number comes from the estimate.
 */
export function curveReading(estimate: CurveEstimate): string {
  const name = NAMES[estimate.metric];
  const sentences: string[] = [];
  if (estimate.points.length < 2) return `Not enough sizes measured yet: ${name} needs at least two training-set sizes for a curve.`;
  if (estimate.seeds === 0) return `No seed has finished every size yet; the curve is fitted once one has.`;
  if (!estimate.fit) {
    sentences.push(`No power law fits ${name}: it reached 0 at a measured size, so there is nothing left for more data to take off.`);
  } else if (!estimate.gain) {
    sentences.push(`The fitted curve has no interval: too many resamples left its range (an error of 0).`);
  } else {
    const g = estimate.gain;
    if (g.lo > 0) {
      sentences.push(`Doubling the data from ${g.from} examples (the most measured) is expected to lower ${name} by ${fmt(estimate.metric, g.mean)} (${range(estimate.metric, g)}), by the fitted curve.`);
    } else {
      sentences.push(`Flat: more of the same data will not help. By the fitted curve, the expected gain in ${name} from doubling the data from ${g.from} examples is ${fmt(estimate.metric, g.mean)} (${range(estimate.metric, g)}), an interval that includes no gain.`);
    }
  }
  const m = estimate.measured;
  if (m) {
    const at = (n: number) => estimate.points.find((p) => p.n === n)?.mean ?? NaN;
    const where = `Measured: from ${m.from} to ${m.to} examples, ${name}`;
    if (m.lo > 0) sentences.push(`${where} fell by ${fmt(estimate.metric, m.mean)} (${range(estimate.metric, m)}).`);
    else if (m.hi < 0) sentences.push(`${where} rose by ${fmt(estimate.metric, -m.mean)} (${range(estimate.metric, { mean: -m.mean, lo: -m.hi, hi: -m.lo })}).`);
    else sentences.push(`${where} went from ${value(estimate.metric, at(m.from))} to ${value(estimate.metric, at(m.to))}; the fall's ${range(estimate.metric, m)} includes no change.`);
  }
  const seeds = estimate.seeds === 1 ? '1 seed: the interval covers the eval items only, not seed-to-seed spread' : `${estimate.seeds} seeds`;
  sentences.push(`(${seeds}; ${estimate.items} held-out items.)`);
  return sentences.join(' ');
}
