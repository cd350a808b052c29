// The Tiny World retrieval task: sizes, split by phrase, documents within the context, qrels resolve, surface pages differ from relevance.
import { describe, expect, it } from 'vitest';
import { ticketPhraseOf } from './ticket-phrase';
import { routeSkill } from './skills/route';
import { surfacePageOf, TEAM_DOCUMENTS, tinyWorldRetrievalTask } from './retrieval-task';
import { ROUTE_TEAMS } from './tickets';

describe('tinyWorldRetrievalTask', () => {
  const task = tinyWorldRetrievalTask({ pairs: 120, validationQueries: 40, testQueries: 100, seed: 3, hardNegatives: true });

  it('has the sizes asked for and one page per team, each within the base models’ 64 characters', () => {
    expect(task.pairs).toHaveLength(120);
    expect(task.validation.queries).toHaveLength(40);
    expect(task.test.queries).toHaveLength(100);
    expect(task.corpus.map((d) => d._id)).toEqual([...ROUTE_TEAMS]);
    for (const d of task.corpus) expect(d.text.length).toBeLessThanOrEqual(60);
  });

  it('relevance is ROUTE’s team: every qrel resolves to a corpus page and names the solver’s answer', () => {
    const ids = new Set(task.corpus.map((d) => d._id));
    for (const q of task.test.queries) {
      const rel = task.test.qrels.get(q._id)!;
      expect([...rel.keys()].every((id) => ids.has(id))).toBe(true);
      expect([...rel.keys()]).toEqual([routeSkill.solve(`ROUTE ${q.text}=`)]);
    }
    for (const p of task.pairs) expect(p.positive).toBe(TEAM_DOCUMENTS[routeSkill.solve(`ROUTE ${p.anchor}=`) as keyof typeof TEAM_DOCUMENTS]);
  });

  it('no validation or test ticket shares its deciding phrase with a training pair, nor with each other', () => {
    const phrase = (t: string) => ticketPhraseOf(`ROUTE ${t}=`);
    const train = new Set(task.pairs.map((p) => phrase(p.anchor)));
    const val = new Set(task.validation.queries.map((q) => phrase(q.text)));
    for (const q of task.test.queries) {
      expect(train.has(phrase(q.text))).toBe(false);
      expect(val.has(phrase(q.text))).toBe(false);
    }
    for (const p of val) expect(train.has(p)).toBe(false);
  });

  it('hard negatives are another team’s page, the surface-similar one where there is one', () => {
    for (const p of task.pairs) expect(p.negative).toBeDefined();
    for (const p of task.pairs) expect(p.negative).not.toBe(p.positive);
    // "my refund is missing" goes to cashdesk but reads like the refunds page (the manager's)
    const refunds = task.pairs.filter((p) => /refund/.test(p.anchor) && p.positive === TEAM_DOCUMENTS.cashdesk);
    for (const p of refunds) expect(p.negative).toBe(TEAM_DOCUMENTS.manager);
  });

  it('surface pages: TICK’s category page, null for ROUTE’s own phrases', () => {
    expect(surfacePageOf('re: my refund is missing')).toBe('manager');
    expect(surfacePageOf('the app freezes asap')).toBeNull();
    expect(surfacePageOf('not a ticket at all')).toBeNull();
  });

  it('is a pure function of its spec', () => {
    expect(tinyWorldRetrievalTask({ pairs: 120, validationQueries: 40, testQueries: 100, seed: 3, hardNegatives: true })).toEqual(task);
  });
});
