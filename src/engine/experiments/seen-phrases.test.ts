// Seen-phrase flags: which ticket eval items have a phrase the cell trained on (under any skill), checked by hand.
import { expect, test } from 'vitest';
import { accuracyWhere, seenPhraseFlags } from './seen-phrases';
import { cellExamples } from './cell-data';
import { cliffPreset } from './presets';
import { evalTexts, experimentSuite } from './suite';
import type { EvalSuite } from '../eval/types';

test('a TICK item is seen when a ROUTE training prompt has its phrase in any wrapper; other probes get no flags', () => {
  const suite: EvalSuite = {
    name: 'hand',
    probes: [
      { name: 'TICK', metric: 'exact_match', stop: '\n', items: [{ prompt: 'TICK my package is late - order 4471=', target: 'shipping' }, { prompt: 'TICK hey, the invoice looks off. kai=', target: 'billing' }] },
      { name: 'ROUTE', metric: 'exact_match', stop: '\n', items: [{ prompt: 'ROUTE re: the app freezes on may 3=', target: 'techdesk' }] },
      { name: 'REV', metric: 'exact_match', stop: '\n', items: [{ prompt: 'REV abc=', target: 'cba' }] },
    ],
  };
  const training = [{ prompt: 'ROUTE urgent - my package is late, thx=' }, { prompt: 'ROUTE the app will not load=' }, { prompt: 'REV abc=' }];
  expect(seenPhraseFlags(suite, training)).toEqual({ TICK: [true, false], ROUTE: [false] });
  expect(accuracyWhere([1, 0], [true, false], true)).toEqual({ value: 1, n: 1 });
  expect(accuracyWhere([1, 0], [true, false], false)).toEqual({ value: 0, n: 1 });
  expect(accuracyWhere([1], [false], true)).toBeNull();
});

test('the cliff preset: ROUTE training sees some TICK eval phrases (interference) and none of ROUTE’s own', () => {
  const spec = cliffPreset();
  const suite = experimentSuite(spec);
  const flags = seenPhraseFlags(suite, cellExamples(spec.fixed, 1, spec.target, evalTexts(suite)));
  expect(flags.ROUTE.every((f) => !f)).toBe(true);
  expect(flags.TICK.some((f) => f)).toBe(true);
  expect(flags.TICK).toHaveLength(spec.evalItems);
});
