// findOrphans on hand-built stores: healthy runs of every kind are never marked; a missing base, a missing dataset, both.
import { describe, expect, it } from 'vitest';
import { HubSource } from '../engine/hub/source';
import type { CellResult } from '../engine/experiments/types';
import { defaultHyperparameters } from '../ui/state/hyperparameters';
import { cellToRunRecord } from './experiment-cell-record';
import { curveCellToRunRecord } from './curve-cell-record';
import { findOrphans, hubRepoOf, missingBaseOf, newerVersionsOf, orphanReason, orphanReasonText, type OrphanDataset, type OrphanInputs } from './orphans';
import type { RunRecord, TinyModelSpec } from '../contract';

const NANO: TinyModelSpec = { kind: 'tiny-gpt2', name: 'Nano GPT-2 (d 32, 2 layers)', n_embd: 32, n_layer: 2, n_head: 2, n_positions: 32, initSeed: 1 };
const SHIPPED: TinyModelSpec = { kind: 'tiny-world', baseId: 'tiny-world-800k', name: 'Tiny World 800k (pretrained, d 128, 4 layers)', n_embd: 128, n_layer: 4, n_head: 4, n_positions: 64, initSeed: 0 };
/** As localModelSpec (ui/state/pretrain.svelte.ts) makes it from a model pretrained in this browser. */
const LOCAL: TinyModelSpec = { kind: 'tiny-world', baseId: 'pretrained-1a2b3c', vocabSize: 80, name: 'Tiny World nano · seed 7', n_embd: 32, n_layer: 2, n_head: 2, n_positions: 64, initSeed: 0 };
/** As loadedModelSpec (ui/state/models.svelte.ts) makes it: baseId is the loader's label, HubSource.label for the Hub. */
const hubSpec = (repo: string, revision?: string): TinyModelSpec => {
  const label = new HubSource({ repo, revision }).label;
  return { kind: 'loaded', baseId: label, weightsSha256: 'ab'.repeat(32), modelType: 'gpt2', name: `${label} (loaded)`, n_embd: 64, n_layer: 2, n_head: 1, n_positions: 128, initSeed: 0 };
};
const FILES: TinyModelSpec = { ...hubSpec('x/y'), baseId: 'my-gpt2 (local files)', name: 'my-gpt2 (local files) (loaded)' };

const dataset = (id: string, createdAt: number, parentId?: string): OrphanDataset => ({ id, name: `data ${id}`, sha256: `sha-${id}`, createdAt, ...(parentId && { parentId }) });

/** A fine-tuning run as the Train page creates it (training.svelte.ts start). */
function run(id: string, datasetId: string, model: TinyModelSpec, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    name: `run ${id}`,
    createdAt: 1,
    updatedAt: 1,
    datasetId,
    datasetName: `data ${datasetId}`,
    model,
    vocab: [],
    hyper: defaultHyperparameters(),
    status: 'cancelled',
    step: 3,
    lastCheckpointStep: 3,
    metrics: [],
    ...extra,
  };
}

const cell = (experimentId: string, curveSha?: string): CellResult => ({
  cellKey: 'k1',
  experimentId,
  settings: { trainSize: 10, labelNoise: 0, addedSize: 0, addedKind: 'noisy', addedNoise: 0, replay: 0, steps: 4, rank: 8, lr: 0.003, batchSize: 4, balance: 0, reweight: 0 },
  seed: 1,
  evals: [],
  losses: [2, 1.5],
  trainExamples: 10,
  ms: 100,
  ...(curveSha && { curve: { fraction: 0.5, distinct: 10, rows: 10, datasetSha256: curveSha, weightsKey: 'w', heldOut: { nll: [1], weight: [1], correct: [1], targets: [1] } } }),
});

const cachedHub = [{ repo: 'openai-community/gpt2', revision: 'main', files: ['config.json', 'tokenizer.json', 'model.safetensors'] }];

function inputs(over: Partial<OrphanInputs>): OrphanInputs {
  return { runs: [], adapters: [], datasets: [dataset('d1', 10)], localModelIds: ['pretrained-1a2b3c'], hubCache: cachedHub, ...over };
}

describe('findOrphans', () => {
  it('never marks a healthy run, of any kind, with any base that is here', () => {
    const tinyWorldCell = cellToRunRecord(cell('exp1'), { id: 'tiny-world-800k', config: { n_embd: 128, n_layer: 4, n_head: 4, n_positions: 64 } as never, tokenizer: { vocabSize: 2, decode: () => 'a' } as never });
    const runs = [
      run('seeded', 'd1', NANO),
      run('shipped', 'd1', SHIPPED),
      run('local', 'd1', LOCAL),
      run('hub', 'd1', hubSpec('openai-community/gpt2')),
      run('files', 'd1', FILES),
      run('imported-none', '', hubSpec('openai-community/gpt2'), { imported: { source: 'a.zip', trainedOn: null, lineage: null } }),
      run('pretrain', '', NANO, { pretrain: { preset: 'nano', seed: 1, modelId: 'pretrained-gone', mix: {}, generator: 'g', seqLen: 64 } }),
      tinyWorldCell,
      curveCellToRunRecord(cell('curve1', 'sha-d1'), { model: LOCAL, vocab: [], hyper: defaultHyperparameters(), datasetName: 'data d1' }),
    ];
    expect(findOrphans(inputs({ runs }))).toEqual([]);
  });

  it('marks a run whose dataset is gone, offering the versions made from it, newest first', () => {
    const datasets = [dataset('d1', 10), dataset('v2', 20, 'gone'), dataset('v3', 30, 'v2'), dataset('other', 40, 'd1')];
    const [orphan, ...rest] = findOrphans(inputs({ datasets, runs: [run('r', 'gone', NANO), run('ok', 'd1', NANO)] }));
    expect(rest).toEqual([]);
    expect(orphan).toEqual({
      runId: 'r',
      name: 'run r',
      kind: 'run',
      adapterIds: [],
      base: null,
      dataset: { name: 'data gone', id: 'gone', sha256: null },
      newerVersions: [
        { id: 'v3', name: 'data v3' },
        { id: 'v2', name: 'data v2' },
      ],
    });
    expect(orphanReason(orphan)).toBe('dataset');
    expect(orphanReasonText(orphan)).toBe('Its dataset “data gone” no longer exists (deleted, or erased by Forget).');
  });

  it('marks a run whose Hub base left the model cache (any revision of its own), and says none when the cache is unreadable', () => {
    const runs = [run('r', 'd1', hubSpec('openai-community/gpt2', 'v2.0')), run('s', 'd1', hubSpec('Qwen/Qwen3-0.6B'))];
    const orphans = findOrphans(inputs({ runs }));
    expect(orphans.map((o) => [o.runId, o.base])).toEqual([
      ['r', { kind: 'hub', repo: 'openai-community/gpt2', revision: 'v2.0' }],
      ['s', { kind: 'hub', repo: 'Qwen/Qwen3-0.6B', revision: 'main' }],
    ]);
    expect(orphanReason(orphans[0])).toBe('base');
    expect(orphanReasonText(orphans[1])).toBe('Its base model Qwen/Qwen3-0.6B@main is no longer in this browser’s model cache.');
    // A cache entry without its weights (a download cut short) is not a base the loader can build again.
    expect(findOrphans(inputs({ runs, hubCache: [{ repo: 'Qwen/Qwen3-0.6B', revision: 'main', files: ['config.json', 'tokenizer.json'] }] }))).toHaveLength(2);
    expect(findOrphans(inputs({ runs, hubCache: [{ repo: 'Qwen/Qwen3-0.6B', revision: 'main', files: ['config.json', 'model.safetensors.index.json'] }] }))).toHaveLength(1);
    expect(findOrphans(inputs({ runs, hubCache: null }))).toEqual([]);
    // A base the worker holds now is here, cached or not.
    expect(findOrphans(inputs({ runs: runs.slice(0, 1), loadedWeightsSha256: 'ab'.repeat(32) }))).toEqual([]);
    expect(findOrphans(inputs({ runs: runs.slice(0, 1), loadedWeightsSha256: 'cd'.repeat(32) }))).toHaveLength(1);
  });

  it('marks a run on a deleted model pretrained in this browser; shipped Tiny World bases are never missing', () => {
    const orphans = findOrphans(inputs({ localModelIds: [], runs: [run('r', 'd1', LOCAL), run('s', 'd1', SHIPPED), run('t', 'd1', { ...SHIPPED, baseId: 'tiny-world-400k' })] }));
    expect(orphans.map((o) => [o.runId, o.base])).toEqual([['r', { kind: 'local', modelId: 'pretrained-1a2b3c', name: 'Tiny World nano · seed 7' }]]);
    expect(orphanReasonText(orphans[0])).toBe('Its base model “Tiny World nano · seed 7”, pretrained in this browser, was deleted.');
  });

  it('marks both reasons at once', () => {
    const [orphan] = findOrphans(inputs({ localModelIds: [], runs: [run('r', 'gone', LOCAL)] }));
    expect(orphanReason(orphan)).toBe('both');
    expect(orphanReasonText(orphan)).toBe('Its base model “Tiny World nano · seed 7”, pretrained in this browser, was deleted, and its dataset “data gone” no longer exists (deleted, or erased by Forget).');
  });

  it('marks an imported adapter by the base it was imported onto and the dataset chosen with it, listing its adapter record', () => {
    const imported = { source: 'adapter.zip', trainedOn: 'Qwen/Qwen3-0.6B@abc', lineage: null };
    const runs = [run('a', 'gone', hubSpec('openai-community/gpt2'), { imported }), run('b', '', hubSpec('Qwen/Qwen3-0.6B'), { imported })];
    const adapters = [
      { id: 'a/adapter', runId: 'a' },
      { id: 'b/adapter', runId: 'b' },
    ];
    const orphans = findOrphans(inputs({ runs, adapters }));
    expect(orphans.map((o) => [o.runId, o.kind, orphanReason(o), o.adapterIds])).toEqual([
      ['a', 'imported-adapter', 'dataset', ['a/adapter']],
      ['b', 'imported-adapter', 'base', ['b/adapter']],
    ]);
  });

  it('marks an imported adapter whose lineage names a dataset version Forget erased, and only then', () => {
    const lineage = { format: 'tunelab-lineage/1', dataset: { name: 'tickets v1', sha256: 'sha-v1', exampleIds: [] } };
    const runs = [run('a', '', SHIPPED, { imported: { source: 'adapter.zip', trainedOn: 'public/models/tiny-world-800k', lineage } })];
    // Trained elsewhere on data never here: nothing says it was erased.
    expect(findOrphans(inputs({ runs }))).toEqual([]);
    const [orphan] = findOrphans(inputs({ runs, erasedDatasetSha256s: ['sha-v1'] }));
    expect(orphan.dataset).toEqual({ name: 'tickets v1', id: null, sha256: 'sha-v1' });
    expect(orphanReasonText(orphan)).toBe('Its dataset “tickets v1” no longer exists (deleted, or erased by Forget).');
    // The same content imported again is here after all.
    expect(findOrphans(inputs({ runs, erasedDatasetSha256s: ['sha-v1'], datasets: [dataset('v1', 5)] }))).toEqual([]);
  });

  it('resolves a learning-curve cell’s dataset by its content hash, not by its experiment id', () => {
    const curve = (sha: string) => curveCellToRunRecord(cell('curve1', sha), { model: NANO, vocab: [], hyper: defaultHyperparameters(), datasetName: 'mine' });
    expect(findOrphans(inputs({ runs: [curve('sha-d1')] }))).toEqual([]);
    const [orphan] = findOrphans(inputs({ runs: [curve('sha-erased')] }));
    expect(orphan.kind).toBe('curve-cell');
    expect(orphan.dataset).toEqual({ name: orphan.dataset?.name, id: null, sha256: 'sha-erased' });
    expect(orphan.newerVersions).toEqual([]);
  });
});

describe('the pieces', () => {
  it('hubRepoOf reads HubSource labels and nothing else', () => {
    expect(hubRepoOf(new HubSource({ repo: 'a/b', revision: 'refs/pr/1' }).label)).toEqual({ repo: 'a/b', revision: 'refs/pr/1' });
    expect(hubRepoOf('x@y (local files)')).toBeNull();
    expect(hubRepoOf('local files')).toBeNull();
  });

  it('missingBaseOf: a model loaded from local files is never called missing (TuneLab keeps no copy to check)', () => {
    expect(missingBaseOf(FILES, { localModelIds: [], hubCache: [] })).toBeNull();
    expect(missingBaseOf(NANO, { localModelIds: [], hubCache: [] })).toBeNull();
  });

  it('newerVersionsOf follows parents through stored versions and stops at a cycle', () => {
    const ds = [dataset('a', 1, 'b'), dataset('b', 2, 'a')];
    expect(newerVersionsOf('a', ds).map((d) => d.id)).toEqual(['b']);
    expect(newerVersionsOf('z', ds)).toEqual([]);
  });
});
