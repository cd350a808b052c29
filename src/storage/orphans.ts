// Orphans: stored runs and adapters whose base model or dataset no longer exists (deleted, or erased), found from plain lists of what is stored.
import type { DatasetRecord, RunRecord, TinyModelSpec } from '../contract';
import { isLocalModelId } from './local-models';

/** A dataset as this check needs it (the Storage page passes the stored records). */
export type OrphanDataset = Pick<DatasetRecord, 'id' | 'name' | 'sha256' | 'createdAt' | 'parentId'>;

/** Files of one Hub repo@revision in the browser's model cache (storage/model-cache.ts lists them). */
export interface CachedHubModel {
  repo: string;
  revision: string;
  files: readonly string[];
}

export interface OrphanInputs {
  runs: readonly RunRecord[];
  /** The adapters store's records (imported PEFT adapters): listed with the run they belong to. */
  adapters: readonly { id: string; runId: string }[];
  datasets: readonly OrphanDataset[];
  /** Ids of the complete models pretrained in this browser (storage/local-models.ts listLocalModels). */
  localModelIds: readonly string[];
  /** Hub models in the browser's model cache; null when Cache Storage is unavailable, and then no Hub base is called missing. */
  hubCache: readonly CachedHubModel[] | null;
  /**
   * Content hashes of dataset versions Forget erased (its journal), if known: an imported adapter whose lineage manifest
   * names one lost its data. (Without them an adapter trained elsewhere cannot be told from one whose data was erased here.)
   */
  erasedDatasetSha256s?: readonly string[];
  /** sha-256 of the weights the worker holds now (a Hub or local-files model loaded on the Models page), if any: that base is here. */
  loadedWeightsSha256?: string | null;
}

/** The base a run fine-tuned that is gone: a Hub model no longer in the browser cache, or a model pretrained here and deleted. */
export type MissingBase = { kind: 'hub'; repo: string; revision: string } | { kind: 'local'; modelId: string; name: string };

/** The dataset a run trained on that is gone, as the run names it (its id; a learning-curve cell names its content hash). */
export interface MissingDataset {
  name: string;
  id: string | null;
  sha256: string | null;
}

/** What the orphan is: a fine-tuning run, a PEFT adapter imported as a run, or a cell of a learning-curve sweep on your data. */
export type OrphanKind = 'run' | 'imported-adapter' | 'curve-cell';

export interface Orphan {
  runId: string;
  name: string;
  kind: OrphanKind;
  /** Adapter records stored with the run (deleting the run removes them with its checkpoints). */
  adapterIds: string[];
  base: MissingBase | null;
  dataset: MissingDataset | null;
  /** Datasets made from the missing one (a version with records forgotten, or with canaries inserted), newest first. */
  newerVersions: { id: string; name: string }[];
}

export type OrphanReason = 'base' | 'dataset' | 'both';

/** Splits a Hub model's label "owner/name@revision" (HubSource.label); null for any other label. */
export function hubRepoOf(baseId: string): { repo: string; revision: string } | null {
  const at = baseId.lastIndexOf('@');
  if (at <= 0 || at === baseId.length - 1 || baseId.endsWith('(local files)')) return null;
  return { repo: baseId.slice(0, at), revision: baseId.slice(at + 1) };
}

/** A cached Hub model the loader can build again: its config and its weights (one file, or the shard index). */
function isCached(cache: readonly CachedHubModel[], repo: string, revision: string): boolean {
  const files = new Set(cache.find((m) => m.repo === repo && m.revision === revision)?.files ?? []);
  return files.has('config.json') && (files.has('model.safetensors') || files.has('model.safetensors.index.json'));
}

/**
 * The run's base, resolved as the worker resolves it (workers/helpers/base-model.ts runBaseOf), when it is gone: a seed
 * model is rebuilt from its seed and a shipped Tiny World base is in public/models, so neither is ever missing; a model
 * pretrained in this browser is missing once deleted from the models store; a Hub model once its files left the browser
 * cache (it must be downloaded again), unless the worker holds those very weights now. Models loaded from local files are never kept by TuneLab, so it cannot tell whether
 * they still exist: they are never called missing.
 */
export function missingBaseOf(spec: TinyModelSpec, inputs: Pick<OrphanInputs, 'localModelIds' | 'hubCache' | 'loadedWeightsSha256'>): MissingBase | null {
  if (spec.kind === 'tiny-world') {
    const id = spec.baseId ?? '';
    return isLocalModelId(id) && !inputs.localModelIds.includes(id) ? { kind: 'local', modelId: id, name: spec.name } : null;
  }
  if (spec.kind !== 'loaded' || !spec.baseId || inputs.hubCache === null || spec.weightsSha256 === inputs.loadedWeightsSha256) return null;
  const hub = hubRepoOf(spec.baseId);
  return hub && !isCached(inputs.hubCache, hub.repo, hub.revision) ? { kind: 'hub', ...hub } : null;
}

/** Every stored dataset made from `id`, directly or through versions still stored, newest first. */
export function newerVersionsOf(id: string, datasets: readonly OrphanDataset[]): OrphanDataset[] {
  const found: OrphanDataset[] = [];
  const seen = new Set([id]);
  for (let frontier = [id]; frontier.length > 0; ) {
    const next = datasets.filter((d) => d.parentId !== undefined && frontier.includes(d.parentId) && !seen.has(d.id));
    for (const d of next) seen.add(d.id);
    found.push(...next);
    frontier = next.map((d) => d.id);
  }
  return found.sort((a, b) => b.createdAt - a.createdAt);
}

function kindOf(run: RunRecord): OrphanKind | null {
  if (run.pretrain) return null; // pretrains from a seed on generated lines: no base, no dataset
  if (run.imported) return 'imported-adapter';
  if (run.retrieval) return null; // a Retrieval page result: no checkpoint or stored dataset to lose, nothing to retrain
  if (run.experimentCell) return run.experimentCell.curve ? 'curve-cell' : null; // preset cells: generated data, shipped base
  return 'run';
}

/** The dataset an imported adapter's lineage manifest (tunelab_lineage.json) names, if it names one. */
function lineageDataset(run: RunRecord): { name: string; sha256: string } | null {
  const dataset = (run.imported?.lineage as { dataset?: { name?: unknown; sha256?: unknown } | null } | null | undefined)?.dataset;
  return dataset && typeof dataset.sha256 === 'string' ? { name: typeof dataset.name === 'string' ? dataset.name : run.datasetName, sha256: dataset.sha256 } : null;
}

/**
 * The run's dataset when it is gone, resolved as the app resolves it: a run by its dataset id (loadDataset(run.datasetId));
 * a learning-curve cell by its dataset's content hash (CurveCellData.datasetSha256); an imported adapter by the dataset
 * chosen with it (none chosen: none to lose), or by its lineage manifest's dataset hash when Forget erased that version.
 */
function missingDatasetOf(run: RunRecord, kind: OrphanKind, inputs: Pick<OrphanInputs, 'datasets' | 'erasedDatasetSha256s'>): MissingDataset | null {
  const { datasets } = inputs;
  if (kind === 'curve-cell') {
    const sha256 = run.experimentCell?.curve?.datasetSha256 ?? '';
    return datasets.some((d) => d.sha256 === sha256) ? null : { name: run.datasetName, id: null, sha256 };
  }
  if (run.datasetId && !datasets.some((d) => d.id === run.datasetId)) return { name: run.datasetName, id: run.datasetId, sha256: null };
  const trainedOn = kind === 'imported-adapter' ? lineageDataset(run) : null;
  if (trainedOn && inputs.erasedDatasetSha256s?.includes(trainedOn.sha256) && !datasets.some((d) => d.sha256 === trainedOn.sha256)) return { name: trainedOn.name, id: null, sha256: trainedOn.sha256 };
  return null;
}

/** Every orphaned run and imported adapter, in the order of `runs`; a run whose base and dataset are both here is never listed. */
export function findOrphans(inputs: OrphanInputs): Orphan[] {
  const orphans: Orphan[] = [];
  for (const run of inputs.runs) {
    const kind = kindOf(run);
    if (!kind) continue;
    const base = missingBaseOf(run.model, inputs);
    const dataset = missingDatasetOf(run, kind, inputs);
    if (!base && !dataset) continue;
    orphans.push({
      runId: run.id,
      name: run.name,
      kind,
      adapterIds: inputs.adapters.filter((a) => a.runId === run.id).map((a) => a.id),
      base,
      dataset,
      newerVersions: dataset?.id ? newerVersionsOf(dataset.id, inputs.datasets).map((d) => ({ id: d.id, name: d.name })) : [],
    });
  }
  return orphans;
}

export function orphanReason(orphan: Pick<Orphan, 'base' | 'dataset'>): OrphanReason {
  if (orphan.base && orphan.dataset) return 'both';
  return orphan.base ? 'base' : 'dataset';
}

/** What is gone, in plain words: "base model … is no longer …; dataset … was deleted or erased". */
export function orphanReasonText(orphan: Pick<Orphan, 'base' | 'dataset'>): string {
  const parts: string[] = [];
  if (orphan.base?.kind === 'hub') parts.push(`its base model ${orphan.base.repo}@${orphan.base.revision} is no longer in this browser’s model cache`);
  if (orphan.base?.kind === 'local') parts.push(`its base model “${orphan.base.name}”, pretrained in this browser, was deleted`);
  if (orphan.dataset) parts.push(`its dataset “${orphan.dataset.name}” no longer exists (deleted, or erased by Forget)`);
  const text = parts.join(', and ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}
