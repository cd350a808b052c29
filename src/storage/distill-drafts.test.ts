// Joining a resumed generation's rows to its draft: only from the same producer and prompts, in source order, never silently.
import { describe, expect, it } from 'vitest';
import { DistillDraftError, resumedResult, sameProducer } from './distill-drafts';
import type { DistillResult, DistillRow } from '../contract';

const producer = { engine: 'engine' as const, model: 'Tiny World 800k', revision: 'abc', runId: 'run1', runStep: 30, sampling: { temperature: 0, maxNewTokens: 24 }, seed: 7 };
const row = (index: number, completion = `a${index}`): DistillRow => ({ index, prompt: `p${index}`, completion, finishReason: 'stop', seed: 7 + index });
const result = (status: DistillResult['status'], rows: DistillRow[], extra: Partial<DistillResult> = {}): DistillResult => ({
  status, rows, total: 4, producer, stopSuffix: '\n', sourceLabel: 'Tiny World ROUTE', tokens: rows.length * 2, elapsedMs: 100, ...extra,
});

describe('resuming a distillation draft', () => {
  it('joins the rows in source order, sums tokens and time, and is complete only when every prompt has a row', () => {
    const joined = resumedResult(result('cancelled', [row(0), row(2)]), result('complete', [row(1), row(3)]));
    expect(joined.rows.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(joined.status).toBe('complete');
    expect([joined.tokens, joined.elapsedMs]).toEqual([8, 200]);
    const again = resumedResult(result('failed', [row(0)]), result('cancelled', [row(1)]));
    expect([again.status, again.rows.length]).toEqual(['cancelled', 2]);
  });

  it('refuses rows from another teacher (the run trained on: another step), or other prompts, with what to do', () => {
    const later = result('complete', [row(1)], { producer: { ...producer, runStep: 40 } });
    expect(() => resumedResult(result('cancelled', [row(0)]), later)).toThrow(DistillDraftError);
    expect((() => { try { resumedResult(result('cancelled', [row(0)]), later); } catch (e) { return (e as Error).name; } })()).toBe('DistillDraftError');
    expect(() => resumedResult(result('cancelled', [row(0)]), later)).toThrow(/step 30 → step 40/);
    expect(() => resumedResult(result('cancelled', [row(0)]), result('complete', [row(1)], { total: 5 }))).toThrow(/prompts changed since this draft \(4 then, 5 now\)/);
    expect(sameProducer(producer, { ...producer, sampling: { maxNewTokens: 24, temperature: 0 } })).toBe(true);
    expect(sameProducer(producer, { ...producer, sampling: { temperature: 0.7, maxNewTokens: 24 } })).toBe(false);
  });
});
