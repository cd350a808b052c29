// Forget requests: each way of selecting records, refusals of malformed requests, and the strings a scan looks for.
import { describe, expect, it } from 'vitest';
import { ForgetRequestError } from '../errors';
import { describeCriteria, forgottenStrings, parseIdList, rowMatcher, type SelectableRow } from './forget-select';

const rows: SelectableRow[] = [
  { id: 'a1', prompt: 'Reverse: cat', completion: 'tac', cohort: 'pets', tags: ['easy'] },
  { id: 'b2', prompt: '', completion: 'my account pin is 40213', cohort: 'canary', tags: ['canary'] },
  { id: 'c3', prompt: 'Mail', completion: 'write to ana.lopez@example.org today', tags: ['hard', 'contact'] },
  { id: 'd4', prompt: '', completion: 'call', messages: [{ content: 'user: ring +44 20 7946 0958 please' }, { content: 'call' }] },
];
const pick = (c: Parameters<typeof rowMatcher>[0]) => rows.filter(rowMatcher(c)).map((r) => r.id);

describe('forget selection', () => {
  it('selects by id, text, regex, cohort, tag and personal-data kind', () => {
    expect(pick({ kind: 'ids', ids: parseIdList('a1, c3\nzz') })).toEqual(['a1', 'c3']);
    expect(pick({ kind: 'text', query: 'PIN IS', regex: false })).toEqual(['b2']);
    expect(pick({ kind: 'text', query: 'PIN IS', regex: false, caseSensitive: true })).toEqual([]);
    expect(pick({ kind: 'text', query: 'pin is \\d{5}$', regex: true })).toEqual(['b2']);
    expect(pick({ kind: 'text', query: '^Reverse', regex: true })).toEqual(['a1']);
    expect(pick({ kind: 'cohort', cohort: 'pets' })).toEqual(['a1']);
    expect(pick({ kind: 'tag', tag: 'canary' })).toEqual(['b2']);
    expect(pick({ kind: 'pii', pii: 'email' })).toEqual(['c3']);
    // A message's text counts, not only the flat prompt/completion.
    expect(pick({ kind: 'pii', pii: 'phone' })).toEqual(['d4']);
  });

  it('refuses an empty or malformed request with what to do', () => {
    expect(() => rowMatcher({ kind: 'ids', ids: parseIdList(' ,, ') })).toThrow(ForgetRequestError);
    expect(() => rowMatcher({ kind: 'text', query: '', regex: false })).toThrow(/search is empty/);
    expect(() => rowMatcher({ kind: 'text', query: 'pin (', regex: true })).toThrow(/not a valid regular expression/);
  });

  it('never repeats the searched text in its description', () => {
    expect(describeCriteria({ kind: 'text', query: 'secret 40213', regex: false })).not.toContain('40213');
    expect(describeCriteria({ kind: 'tag', tag: 'canary' })).toBe('records tagged “canary”');
  });

  it('scans for every text of the removed rows except those a kept row also holds', () => {
    const kept = new Set(['Mail', 'tac']);
    const { strings, alsoKept } = forgottenStrings([rows[1], rows[2]], kept);
    expect(strings).toEqual(['my account pin is 40213', 'write to ana.lopez@example.org today']);
    expect(alsoKept).toBe(1);
  });
});
