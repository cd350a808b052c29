// Reads what findOrphans needs from IndexedDB and the model cache: runs, datasets, adapter keys, local models, cached Hub models, erased versions.
import { openTuneLabDb } from './db';
import { listLocalModels } from './local-models';
import { browserModelCache } from './model-cache';
import { listRuns } from './runs';
import { findOrphans, type CachedHubModel, type Orphan } from './orphans';

/** Adapter ids with their run, from the runId index's keys (the weights are not read). */
async function adapterKeys(): Promise<{ id: string; runId: string }[]> {
  const index = (await openTuneLabDb()).transaction('adapters').store.index('runId');
  const out: { id: string; runId: string }[] = [];
  for (let cursor = await index.openKeyCursor(); cursor; cursor = await cursor.continue()) out.push({ id: cursor.primaryKey, runId: cursor.key });
  return out;
}

/** The cached Hub models, or null when Cache Storage cannot be read (then no Hub base is called missing). */
async function hubCache(): Promise<CachedHubModel[] | null> {
  const cache = browserModelCache();
  if (!cache) return null;
  try {
    return (await cache.list()).map((m) => ({ repo: m.repo, revision: m.revision, files: m.files.map((f) => f.file) }));
  } catch {
    return null;
  }
}

/** `loadedWeightsSha256`: the weights the worker holds now (a base loaded on the Models page is here even when not cached). */
export async function scanOrphans(loadedWeightsSha256: string | null = null): Promise<Orphan[]> {
  const db = await openTuneLabDb();
  const [runs, datasets, adapters, local, hub, erasures] = await Promise.all([listRuns(), db.getAll('datasets'), adapterKeys(), listLocalModels(), hubCache(), db.getAll('erasures')]);
  // Versions Forget erased: an imported adapter whose lineage names one is marked (findOrphans checks the hash is really gone).
  const erasedDatasetSha256s = erasures.map((e) => e.report.dataset.before.sha256);
  return findOrphans({ runs, datasets, adapters, localModelIds: local.map((m) => m.id), hubCache: hub, loadedWeightsSha256, erasedDatasetSha256s });
}
