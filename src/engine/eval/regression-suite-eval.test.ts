// Scoring a suite: item values kept in item order for pairing, the context refused before any item runs, built-ins per base.
import { describe, expect, test } from 'vitest';
import { RegressionSuiteError } from '../errors';
import { SKILLS } from '../world';
import { builtinAbilities, scoreRegressionSuite, suiteAbilities } from './regression-suite-eval';
import type { RegressionAbility } from './regression-suite';
import type { EvalModel, EvalTokenizer } from './types';

// Characters as ids; '\n' is one token, the stop.
const tokenizer: EvalTokenizer = { encode: (t) => [...t].map((c) => c.charCodeAt(0)), decode: (ids) => String.fromCharCode(...ids) };
/** Always answers "yes"; scores every next token at log-probability −1. */
const yesModel: EvalModel = {
  generateGreedy: async () => tokenizer.encode('yes'),
  scoreTokens: async (ids) => ({ logprobs: ids.map((_, t) => (t === 0 ? 0 : -1)), argmax: ids.map(() => 0) }),
};

describe('scoreRegressionSuite', () => {
  const abilities: RegressionAbility[] = [
    { name: 'keep', metric: 'exact_match', items: ['yes', 'no', 'yes', 'maybe'].map((answer, i) => ({ prompt: `q${i}:`, answer })) },
    { name: 'text', metric: 'perplexity', items: [{ text: 'abcd' }, { text: 'xy' }] },
  ];

  test('exact match per item in order (greedy), perplexity terms per text (NLL, tokens)', async () => {
    const scores = await scoreRegressionSuite(yesModel, tokenizer, abilities, { step: 0, maxPositions: 64 });
    expect(scores.abilities[0]).toEqual({ name: 'keep', metric: 'exact_match', higherIsBetter: true, items: [1, 0, 1, 0].map((n) => ({ numerator: n, denominator: 1 })) });
    expect(scores.abilities[1]).toMatchObject({ name: 'text', metric: 'perplexity', higherIsBetter: false });
    expect(scores.abilities[1].items).toEqual([{ numerator: 3, denominator: 3 }, { numerator: 1, denominator: 1 }]);
  });

  test('a prompt beyond the context is refused before the model runs', async () => {
    let calls = 0;
    const counting: EvalModel = { ...yesModel, generateGreedy: async (...args) => (calls++, yesModel.generateGreedy(...args)) };
    await expect(scoreRegressionSuite(counting, tokenizer, abilities, { step: 0, maxPositions: 6 })).rejects.toThrow(RegressionSuiteError);
    expect(calls).toBe(0);
  });
});

test('a tokenizer without a one-token line break cannot score answers: a clear refusal, not a failure mid-suite', async () => {
  const twoTokenBreak: EvalTokenizer = { encode: (t) => [...t].flatMap((c) => (c === '\n' ? [1, 2] : [c.charCodeAt(0)])), decode: tokenizer.decode };
  const answers: RegressionAbility[] = [{ name: 'keep', metric: 'exact_match', items: [{ prompt: 'q', answer: 'a' }] }];
  await expect(scoreRegressionSuite(yesModel, twoTokenBreak, answers, { step: 0, maxPositions: 64 })).rejects.toThrow('writes a line break as 2 tokens');
  // Text rows need no stop token.
  const texts: RegressionAbility[] = [{ name: 'text', metric: 'perplexity', items: [{ text: 'ab' }] }];
  await expect(scoreRegressionSuite(yesModel, twoTokenBreak, texts, { step: 0, maxPositions: 64 })).resolves.toMatchObject({ step: 0 });
});

describe('built-in checks', () => {
  test('a Tiny World skill gives items whose answers are the skill’s own solutions; the same items every time', () => {
    const [rev] = builtinAbilities([{ kind: 'tiny-world-skill', skill: 'REV' }], 12);
    expect(rev.metric).toBe('exact_match');
    expect(rev.items).toHaveLength(12);
    for (const item of rev.items as { prompt: string; answer: string }[]) expect(`${item.answer}\n`).toBe(`${SKILLS.REV.solve(item.prompt)}\n`);
    expect(builtinAbilities([{ kind: 'tiny-world-skill', skill: 'REV' }], 12)).toEqual([rev]);
  });

  test('built-ins need a Tiny World base; a suite of the user’s own items does not', () => {
    const suite = { name: 's', abilities: [], builtins: [{ kind: 'held-out-text' as const }], builtinItems: 10 };
    expect(() => suiteAbilities(suite, false)).toThrow('not a Tiny World model');
    expect(suiteAbilities(suite, true)[0]).toMatchObject({ name: 'held-out text', metric: 'perplexity' });
  });
});
