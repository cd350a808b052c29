// A judge's free-text answers read as verdicts and scores: the forms models actually write, and the ones that must stay unread.
import { describe, expect, it } from 'vitest';
import { parseRubricScore, parseVerdict, withoutThinking } from './verdict';

describe('parseVerdict', () => {
  it.each([
    ['[[A]]', 'A'],
    ['After comparing, my final verdict is: [[B]]', 'B'],
    ['[[C]]', 'tie'],
    ['B', 'B'],
    [' a. ', 'A'],
    ['**Answer B**', 'B'],
    ['Verdict: A', 'A'],
    ['The better answer is B because it is correct.', 'B'],
    ['Answer A is better: it gives the right sum.', 'A'],
    ['Tie', 'tie'],
    ['Both are equally good.', 'tie'],
    ['<think>A looks wrong, B is right</think>[[B]]', 'B'],
    ['I first thought [[A]] but on reflection [[B]]', 'B'],
  ])('%j → %s', (raw, verdict) => {
    expect(parseVerdict(raw)).toBe(verdict);
  });

  it.each(['', 'Both have merits.', 'Answer A is better in style, but answer B is more correct.', 'I cannot decide', 'A and B'])('%j stays unread', (raw) => {
    expect(parseVerdict(raw)).toBeUndefined();
  });
});

describe('parseRubricScore', () => {
  it.each([
    ['[[4]]', 4],
    ['Score: 3', 3],
    ['I rate it 4/5.', 4],
    ['rating = 2.5', 2.5],
    ['5', 5],
    ['<think>maybe 9</think> [[1]]', 1],
    ['The answer has 2 mistakes; score: 1', 1],
  ])('%j → %d', (raw, score) => {
    expect(parseRubricScore(raw, 1, 5)).toBe(score);
  });

  it('a number off the scale, or none, stays unread', () => {
    expect(parseRubricScore('7 out of 10', 1, 5)).toBeUndefined();
    expect(parseRubricScore('good', 1, 5)).toBeUndefined();
    expect(parseRubricScore('', 1, 5)).toBeUndefined();
  });

  it('drops an unclosed <think> block', () => {
    expect(withoutThinking('<think>still thinking')).toBe('');
  });
});
