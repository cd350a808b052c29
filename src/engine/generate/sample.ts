// Picks the next token from one row of logits: greedy, or temperature with top-k / top-p, from a seeded Rng.
import type { Rng } from '../rng';

export interface SamplingOptions {
  /** 0 (or omitted) means greedy. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0/omitted keeps all. */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p; 1/omitted keeps all. */
  topP?: number;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** log softmax(logits)[id], in float64. */
export function logProbOf(logits: ArrayLike<number>, id: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
  return logits[id] - max - Math.log(sum);
}

export function sampleToken(logits: ArrayLike<number>, options: SamplingOptions, rng: Rng): number {
  const temperature = options.temperature ?? 0;
  if (temperature <= 0) return argmax(logits);
  // Candidates sorted by logit, descending; filtering happens on this list.
  let candidates = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b] - logits[a]);
  if (options.topK && options.topK > 0) candidates = candidates.slice(0, options.topK);
  const max = logits[candidates[0]];
  let probs = candidates.map((i) => Math.exp((logits[i] - max) / temperature));
  let total = probs.reduce((a, b) => a + b, 0);
  const topP = options.topP ?? 1;
  if (topP < 1) {
    let cumulative = 0;
    let keep = 0;
    while (keep < probs.length && cumulative < topP * total) cumulative += probs[keep++];
    candidates = candidates.slice(0, Math.max(1, keep));
    probs = probs.slice(0, Math.max(1, keep));
    total = probs.reduce((a, b) => a + b, 0);
  }
  let u = rng.next() * total;
  for (let j = 0; j < probs.length; j++) {
    u -= probs[j];
    if (u < 0) return candidates[j];
  }
  return candidates[candidates.length - 1];
}
