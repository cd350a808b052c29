// The teacher-forced exact-match path gives greedy decoding's verdicts, including answers that whitespace could hide.
import { describe, expect, test } from 'vitest';
import { Rng } from '../rng';
import { evaluateSuite } from './run-suite';
import { agreementBatches } from './eval-model';
import { prefixCanStillMatch } from './teacher-forced-match';
import type { Agreement, AgreementItem, EvalModel, EvalTokenizer, EvalSuite, GenerationItem } from './types';

const CHARS = '\nab 1=';
const charTokenizer: EvalTokenizer = {
  encode: (text) => [...text].map((c) => CHARS.indexOf(c)),
  decode: (ids) => ids.map((i) => CHARS[i]).join(''),
  decodeConcatenates: true,
};

/**
 * A fake model whose greedy continuation of prompt q is the string answers[q] followed by "\n" (then "a" forever).
 * Its next-token argmax after prompt + prefix is therefore answers[q][prefix.length] while prefix is on that path.
 */
function fakeModel(answers: Map<string, string>, calls: { greedy: number; forced: number }): EvalModel {
  const next = (prompt: string, prefix: string): number => {
    const path = `${answers.get(prompt) ?? ''}\n`;
    if (!path.startsWith(prefix) || prefix.length >= path.length) return CHARS.indexOf('a');
    return CHARS.indexOf(path[prefix.length]);
  };
  return {
    async generateGreedy(promptIds, maxNew, stopId) {
      calls.greedy++;
      const prompt = charTokenizer.decode(promptIds);
      const out: number[] = [];
      while (out.length < maxNew) {
        const id = next(prompt, charTokenizer.decode(out));
        if (id === stopId) break;
        out.push(id);
      }
      return out;
    },
    async scoreTokens() {
      throw new Error('not used');
    },
    async greedyAgreement(items: AgreementItem[]): Promise<(Agreement | null)[]> {
      calls.forced += items.length;
      return items.map((it) => {
        const prompt = charTokenizer.decode(it.promptIds);
        let matched = 0;
        while (matched < it.continuation.length && next(prompt, charTokenizer.decode(it.continuation.slice(0, matched))) === it.continuation[matched]) matched++;
        return { matched, miss: matched < it.continuation.length ? next(prompt, charTokenizer.decode(it.continuation.slice(0, matched))) : -1 };
      });
    },
  };
}

describe('teacher-forced exact match', () => {
  test('a prefix can still match only when the rest could be whitespace or the answer itself', () => {
    expect(prefixCanStillMatch(' ', 'ab')).toBe(true);
    expect(prefixCanStillMatch(' a', 'ab')).toBe(true);
    expect(prefixCanStillMatch('b', 'ab')).toBe(false);
    expect(prefixCanStillMatch('ab ', 'ab')).toBe(true);
    expect(prefixCanStillMatch('abb', 'ab')).toBe(false);
    expect(prefixCanStillMatch('a a', 'a')).toBe(false);
  });

  test('gives the same verdict as greedy decoding on 400 random answers, and decodes only the undecidable ones', async () => {
    const rng = new Rng(5);
    const pick = (s: string) => s[rng.int(s.length)];
    const word = (n: number) => Array.from({ length: n }, () => pick('ab1')).join('');
    const answers = new Map<string, string>();
    const items: GenerationItem[] = [];
    for (let i = 0; i < 400; i++) {
      const prompt = `${[...i.toString(3)].map((d) => 'ab1'[Number(d)]).join('')}=`;
      const target = word(1 + rng.int(4));
      const kind = rng.int(7);
      // right, wrong, cut short, too long, leading or trailing whitespace, or nothing at all
      const answer = [target, word(target.length), target.slice(0, -1), `${target}a`, ` ${target}`, `${target} `, ''][kind];
      answers.set(prompt, answer);
      items.push({ prompt, target });
    }
    const suite: EvalSuite = { name: 's', probes: [{ name: 'p', metric: 'exact_match', items, stop: '\n' }] };
    const greedyCalls = { greedy: 0, forced: 0 };
    const fastCalls = { greedy: 0, forced: 0 };
    const greedy = await evaluateSuite(fakeModel(answers, greedyCalls), charTokenizer, suite, { scoring: 'one-by-one', resamples: 10 });
    const fast = await evaluateSuite(fakeModel(answers, fastCalls), charTokenizer, suite, { resamples: 10 });
    const verdicts = (r: typeof greedy) => r.probes[0].predictions.map((p, i) => (String(p).trim() === items[i].target ? 1 : 0));
    expect(verdicts(fast)).toEqual(verdicts(greedy));
    expect(fast.probes[0].metrics.exact_match.value).toBe(greedy.probes[0].metrics.exact_match.value);
    expect(greedyCalls.greedy).toBe(400);
    expect(fastCalls.forced).toBe(400);
    // Only answers with leading or trailing whitespace need decoding (a miss on the stop token is decided too).
    const hidden = items.filter((it) => /^\s|\s$/.test(answers.get(it.prompt)!)).length;
    expect(fastCalls.greedy).toBe(hidden);
    expect(greedy.probes[0].metrics.exact_match.value).toBeGreaterThan(0.2);
  });

  test('without a concatenating decode (BPE) only right answers are decided teacher-forced', async () => {
    const answers = new Map([
      ['a=', 'ab'],
      ['b=', 'b1'],
    ]);
    const calls = { greedy: 0, forced: 0 };
    const suite: EvalSuite = { name: 's', probes: [{ name: 'p', metric: 'exact_match', items: [{ prompt: 'a=', target: 'ab' }, { prompt: 'b=', target: 'ab' }] }] };
    const result = await evaluateSuite(fakeModel(answers, calls), { ...charTokenizer, decodeConcatenates: false }, suite, { resamples: 10 });
    expect(result.probes[0].predictions).toEqual(['ab', 'b1']);
    expect(calls.greedy).toBe(1);
  });

  test('batches hold the longest items first and respect the token bound', () => {
    const lengths = [10, 40, 30, 40];
    const batches = agreementBatches(lengths, 80);
    expect(batches.flat()).toEqual([1, 3, 2, 0]);
    expect(agreementBatches(Array.from({ length: 300 }, () => 64), 80).map((b) => b.length)).toEqual([64, 64, 64, 64, 44]);
  });
});
