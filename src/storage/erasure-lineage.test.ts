// The lineage query: runs by dataset id or same content hash, imported adapters by their manifest's hash, curve cells by theirs.
import { describe, expect, it } from 'vitest';
import { distilledCopies, draftCopies, lineageOf } from './erasure-lineage';
import type { DistillDraftRecord } from '../contract';
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

describe('distilled copies of forgotten records\' prompts', () => {
  const source = ds('src', 'sss', 4);
  const reimport = ds('src-copy', 'sss', 4);
  /** A distilled dataset whose rows answer the source rows `rowSourceIds` (record ids), made from `from`. */
  const distilled = (id: string, sha: string, from: { id?: string; sha?: string }, rowSourceIds?: string[]) =>
    ({ ...ds(id, sha, rowSourceIds?.length ?? 3), distilled: { producers: [], rowProducer: [], rowSeeds: [], source: 'x', draft: false, generated: 3, total: 3, ...(from.id ? { sourceDatasetId: from.id } : {}), ...(from.sha ? { sourceSha256: from.sha } : {}), ...(rowSourceIds ? { rowSourceIds } : {}) } }) as unknown as DatasetRecord;
  const fromSource = distilled('d1', 'ddd1', { id: 'src', sha: 'sss' }, ['r1', 'r2', 'r3']);
  const fromReimport = distilled('d2', 'ddd2', { id: 'src-copy', sha: 'sss' }, ['r2', 'r4']);
  const otherRows = distilled('d3', 'ddd3', { id: 'src', sha: 'sss' }, ['r3', 'r4']);
  const deletedSourceSameHash = distilled('d4', 'ddd4', { id: 'gone', sha: 'sss' }, ['r1']);
  const worldItems = distilled('d5', 'ddd5', {}, undefined);
  const all = [source, reimport, fromSource, fromReimport, otherRows, deletedSourceSameHash, worldItems];

  it('lists the copies made from a version holding the records (by id or content hash) with a row answering one of them, and counts those rows', () => {
    const copies = distilledCopies([source], all, ['r1', 'r2']);
    expect(copies.map((c) => [c.dataset.id, c.rows])).toEqual([['d1', 2], ['d2', 1], ['d4', 1]]);
    // Forgetting r4 only: d1 holds no answer to it.
    expect(distilledCopies([source], all, ['r4']).map((c) => c.dataset.id)).toEqual(['d2', 'd3']);
    expect(distilledCopies([ds('w', 'www')], all, ['r1'])).toEqual([]);
  });

  it('offers each copy for deletion with what it holds, and brings in the runs trained on it (not retrainable)', () => {
    const runs = [run('on-src', 'src'), run('student', 'd1'), run('student-of-copy-hash', 'd1-again'), run('elsewhere', 'd3')];
    // A second copy with the same content (a re-save): listed itself, and its student with it.
    const d1Again = { ...fromSource, id: 'd1-again' } as DatasetRecord;
    const copies = distilledCopies([source], [...all, d1Again], ['r1']);
    const found = lineageOf([source], [...all, d1Again], runs, { checkpoints: new Map(), adapters: new Map() }, 'src', copies);
    expect(found.map((a) => `${a.kind}:${a.id}`)).toEqual(['dataset:src', 'dataset:d1', 'dataset:d4', 'dataset:d1-again', 'run:on-src', 'run:student', 'run:student-of-copy-hash']);
    const byId = new Map(found.map((a) => [a.id, a]));
    expect(byId.get('d1')!.detail).toBe("distilled: 1 of its 3 rows are a teacher's answers to these records' prompts (they hold the prompts)");
    expect(byId.get('student')!.retrainable).toBe(false);
    expect(byId.get('on-src')!.retrainable).toBe(true);
  });
});

describe('distillation drafts answering forgotten records\' prompts', () => {
  const draft = (id: string, source: { id: string; sha256: string } | undefined, rowSourceIds: (string | undefined)[]) =>
    ({
      id,
      request: { teacherLabel: 'web-llm · Qwen' },
      result: { sourceDataset: source, sourceLabel: 'train prompts of “S”', producer: { model: 'Qwen' }, rows: rowSourceIds.map((sourceRowId, index) => ({ index, ...(sourceRowId ? { sourceRowId } : {}) })) },
    }) as unknown as DistillDraftRecord;

  it('lists a stored draft made from a version holding the records (by id or hash) with a row answering one, for deletion', () => {
    const drafts = [draft('a', { id: 'src', sha256: 'sss' }, ['r1', 'r2']), draft('b', { id: 'old', sha256: 'sss' }, ['r2']), draft('c', { id: 'src', sha256: 'sss' }, ['r3']), draft('d', undefined, [undefined])];
    const found = draftCopies([ds('src', 'sss')], drafts, ['r1', 'r2']);
    expect(found.map((a) => [a.kind, a.id, a.detail])).toEqual([
      ['distill-draft', 'a', "unsaved distillation draft: 2 of its 2 rows answer these records' prompts"],
      ['distill-draft', 'b', "unsaved distillation draft: 1 of its 1 rows answer these records' prompts"],
    ]);
    expect(found[0].name).toBe('Draft: web-llm · Qwen on train prompts of “S”');
    expect(draftCopies([ds('w', 'www')], drafts, ['r1'])).toEqual([]);
  });
});
