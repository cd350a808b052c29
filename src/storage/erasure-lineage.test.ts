// The lineage query: runs by dataset id or same content hash, imported adapters by their manifest's hash, curve cells by theirs.
import { describe, expect, it } from 'vitest';
import { lineageOf } from './erasure-lineage';
import type { DatasetRecord, RunRecord } from '../contract';

const ds = (id: string, sha256: string, rows = 10) => ({ id, name: id, sha256, stats: { rows } }) as unknown as DatasetRecord;
const run = (id: string, datasetId: string, extra: Partial<RunRecord> = {}) => ({ id, name: id, datasetId, status: 'completed', step: 6, ...extra }) as RunRecord;

describe('lineage of forgotten records', () => {
  const canaried = ds('v2', 'aaa');
  const reimport = ds('v2-copy', 'aaa');
  const parent = ds('v1', 'bbb');
  const other = ds('w', 'ccc');
  const runs = [
    run('r-on-v2', 'v2'),
    run('r-on-copy', 'v2-copy'),
    run('r-on-parent', 'v1'),
    run('r-other', 'w'),
    run('imported-yes', '', { imported: { source: 'adapter.zip', trainedOn: null, lineage: { dataset: { sha256: 'aaa' } } } }),
    run('imported-no', 'v2', { imported: { source: 'x.zip', trainedOn: null, lineage: { dataset: null } } }),
    run('cell-yes', 'experiment:c', { experimentCell: { curve: { datasetSha256: 'aaa' } } as unknown as RunRecord['experimentCell'] }),
    run('cell-no', 'experiment:c', { experimentCell: { curve: { datasetSha256: 'ccc' } } as unknown as RunRecord['experimentCell'] }),
    run('ascent', 'v2', { unlearning: { method: 'gradient-ascent', ofRunId: 'r-on-v2', ofRunName: '', removedRowIds: [], parentDatasetId: 'v2', parentSha256: 'aaa' } }),
  ];
  const counts = { checkpoints: new Map([['r-on-v2', 2]]), adapters: new Map([['imported-yes', 1]]) };

  it('lists the versions holding the records and everything trained on them, by content hash', () => {
    const found = lineageOf([canaried], [canaried, reimport, parent, other], runs, counts, 'v2');
    expect(found.map((a) => `${a.kind}:${a.id}`)).toEqual(['dataset:v2', 'run:r-on-v2', 'run:r-on-copy', 'imported-adapter:imported-yes', 'curve-cell:cell-yes', 'run:ascent']);
    const byId = new Map(found.map((a) => [a.id, a]));
    expect(byId.get('r-on-v2')).toMatchObject({ checkpoints: 2, retrainable: true, detail: 'completed at step 6; 2 checkpoints' });
    expect(byId.get('r-on-copy')!.retrainable).toBe(true); // same content, another id: the same data
    expect(byId.get('ascent')!.retrainable).toBe(false);
    expect(byId.get('imported-yes')!.detail).toMatch(/lineage manifest names dataset aaa/);
  });

  it('a parent version that also holds the records brings its runs in; one that does not, does not', () => {
    expect(lineageOf([canaried, parent], [canaried, parent], runs, counts, 'v2').some((a) => a.id === 'r-on-parent')).toBe(true);
    const found = lineageOf([canaried], [canaried, parent], runs, counts, 'v2');
    expect(found.some((a) => a.id === 'r-on-parent' || a.id === 'r-other' || a.id === 'cell-no' || a.id === 'imported-no')).toBe(false);
  });
});
