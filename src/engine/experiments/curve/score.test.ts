// Tests: item-by-item scoring of a curve cell (loss, token accuracy, exact match) on hand-made logits.
import { describe, expect, it } from 'vitest';
import type { EvalModel } from '../../eval/types';
import { itemScores, scoreHeldOut } from './score';

describe('held-out item scores', () => {
  it('sum the weighted answer-token loss and count top-1 answer tokens (hand-computed)', () => {
    // ids a b c; the prompt token a has weight 0; b is predicted with p = 1/2 and is the argmax, c with p = 1/4 and is not.
    const s = itemScores({ ids: [5, 6, 7], weights: [0, 1, 1] }, { logprobs: [0, Math.log(0.5), Math.log(0.25)], argmax: [0, 6, 9] });
    expect(s.nll).toBeCloseTo(Math.log(2) + Math.log(4), 12);
    expect(s.weight).toBe(2);
    expect(s.correct).toBe(1);
    expect(s.targets).toBe(2);
  });

  it('call an item an exact match only when every answer token is the first choice', async () => {
    const model: EvalModel = {
      generateGreedy: async () => [],
      scoreTokens: async (ids) => ({ logprobs: ids.map(() => -0.1), argmax: ids.map((id, t) => (t === 2 && id === 9 ? 0 : id)) }),
    };
    const r = await scoreHeldOut(model, [{ id: 'x', ids: [1, 2, 3], weights: [0, 1, 1] }, { id: 'y', ids: [1, 2, 9], weights: [0, 0, 1] }], true);
    expect(r.exact).toEqual([1, 0]);
    expect(r.correct).toEqual([2, 0]);
    expect(r.weight).toEqual([2, 1]);
  });
});
