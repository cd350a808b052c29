// Tests: the learning curve setup round-trips through the URL.
import { describe, expect, it } from 'vitest';
import { curveFromQuery, curveToQuery } from './url-state';

const hyper = { method: 'lora', steps: 40, batchSize: 4, learningRate: 0.003, warmupSteps: 2, schedule: 'cosine', weightDecay: 0, gradClip: 1, gradAccumulation: 1, lora: { r: 8, alpha: 16, dropout: 0, targetModules: ['c_attn'] }, seed: 1, checkpointEvery: 40, evalEvery: 40 } as const;

describe('curve URL state', () => {
  it('round-trips the setup, the data by hash only', () => {
    const link = { datasetSha256: 'a'.repeat(64), model: { kind: 'tiny-world' as const, baseId: 'tiny-world-800k', name: 'Tiny World 800k' }, fractions: [0.25, 0.5, 1], seeds: 3, match: 'exact' as const, hyper: { ...hyper, lora: { ...hyper.lora, targetModules: ['c_attn'] } } };
    const q = curveToQuery(link);
    expect(q.get('data')).toBe('a'.repeat(64));
    expect(curveFromQuery(new URLSearchParams(q.toString()))).toEqual({ ...link, notices: [] });
  });

  it('reports parameters it cannot read and keeps defaults', () => {
    const r = curveFromQuery(new URLSearchParams('view=curve&data=xyz&seeds=two&match=bleu&settings={'));
    expect(r.datasetSha256).toBeNull();
    expect(r.seeds).toBe(3);
    expect(r.notices).toHaveLength(4);
  });

  it('round-trips the near-duplicates slice (no value)', () => {
    const q = curveToQuery({ datasetSha256: 'a'.repeat(64), model: { kind: 'tiny-world', name: 'Tiny World 800k' }, fractions: [1], seeds: 1, match: 'auto', hyper: { ...hyper, lora: { ...hyper.lora, targetModules: ['c_attn'] } }, slice: { kind: 'near-duplicates' } });
    expect(q.get('slice')).toBe('near-duplicates:');
    expect(curveFromQuery(new URLSearchParams(q.toString())).slice).toEqual({ kind: 'near-duplicates' });
    expect(curveFromQuery(new URLSearchParams('slice=nearish:')).notices.join(' ')).toContain('the near-duplicates');
  });

  it('round-trips the personal-data slice (no value)', () => {
    const q = curveToQuery({ datasetSha256: 'a'.repeat(64), model: { kind: 'tiny-world', name: 'Tiny World 800k' }, fractions: [1], seeds: 1, match: 'auto', hyper: { ...hyper, lora: { ...hyper.lora, targetModules: ['c_attn'] } }, slice: { kind: 'pii' } });
    expect(q.get('slice')).toBe('pii:');
    expect(curveFromQuery(new URLSearchParams(q.toString())).slice).toEqual({ kind: 'pii' });
  });
});
