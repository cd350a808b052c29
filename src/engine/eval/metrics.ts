// Per-item metric values: exact match, contains, multiple choice (acc, acc_norm), perplexity, mean token accuracy.

import type { ItemValue, TokenScores } from './types';

export function exactMatch(prediction: string, target: string): ItemValue {
  return { numerator: prediction.trim() === target.trim() ? 1 : 0, denominator: 1 };
}

export function contains(prediction: string, target: string): ItemValue {
  return { numerator: prediction.includes(target.trim()) ? 1 : 0, denominator: 1 };
}

/** Sum of log p over positions [from, scores.length) of a teacher-forced sequence. */
export function continuationLogprob(scores: TokenScores, from: number): number {
  let sum = 0;
  for (let t = Math.max(1, from); t < scores.logprobs.length; t++) sum += scores.logprobs[t];
  return sum;
}

/**
 * Multiple choice by log-likelihood, as in lm-evaluation-harness: acc picks the choice with the highest summed
 * logprob, acc_norm divides each sum by the choice's length in characters first.
 */
export function multipleChoice(choiceLogprobs: number[], choices: string[], answer: number): { acc: ItemValue; accNorm: ItemValue; picked: number } {
  const argmax = (xs: number[]) => xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);
  const picked = argmax(choiceLogprobs);
  const pickedNorm = argmax(choiceLogprobs.map((lp, i) => lp / Math.max(1, choices[i].length)));
  return {
    acc: { numerator: picked === answer ? 1 : 0, denominator: 1 },
    accNorm: { numerator: pickedNorm === answer ? 1 : 0, denominator: 1 },
    picked,
  };
}

/** Negative log-likelihood of every token after the first (perplexity = exp(Σ nll / Σ tokens) over items). */
export function perplexityTerms(scores: TokenScores): ItemValue {
  return { numerator: -continuationLogprob(scores, 1), denominator: Math.max(0, scores.logprobs.length - 1) };
}

/** Teacher-forced accuracy on target tokens at positions [from, ids.length): how often argmax equals the real token. */
export function tokenAccuracy(ids: number[], scores: TokenScores, from: number): ItemValue {
  let correct = 0;
  let total = 0;
  for (let t = Math.max(1, from); t < ids.length; t++) {
    total++;
    if (scores.argmax[t] === ids[t]) correct++;
  }
  return { numerator: correct, denominator: total };
}
