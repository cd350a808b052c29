// A Hub dataset split's downloaded Parquet files in Cache Storage: found for a forget request's lineage and deleted by its erasure.
import { parquetCacheKey } from '../engine/hub/dataset';
import type { DatasetRecord, LineageArtifact } from '../contract';
import type { BrowserModelCache, CachedModel } from './model-cache';

export interface HubSplit {
  repo: string;
  config: string;
  split: string;
}

/** The split a Hub import came from, read off its name "owner/name (config/split)" (versions made from it keep the start). */
export function hubSplitOf(name: string): HubSplit | null {
  const m = /^([\w.-]+\/[\w.-]+) \(([^/()\s]+)\/([^/()\s]+)\)/.exec(name);
  return m ? { repo: m[1], config: m[2], split: m[3] } : null;
}

const ID_PREFIX = 'hub-cache:';

/** The lineage id of one split's cached files (also the erasure target's id). */
export function hubCacheId(s: HubSplit): string {
  return ID_PREFIX + JSON.stringify([s.repo, s.config, s.split]);
}

export function hubSplitOfId(id: string): HubSplit | null {
  if (!id.startsWith(ID_PREFIX)) return null;
  const [repo, config, split] = JSON.parse(id.slice(ID_PREFIX.length)) as string[];
  return { repo, config, split };
}

/** Where one split's files sit in the model cache: its repo key, revision, and the file names' common start. */
function cacheLocation(s: HubSplit): { repo: string; revision: string; prefix: string } {
  const key = parquetCacheKey(s.repo, s.config, s.split, '');
  return { repo: key.repo, revision: key.revision, prefix: key.file };
}

/**
 * Pure: the cached Parquet files of every Hub split the versions came from (the raw rows of the forgotten records,
 * compressed, so a text scan of Cache Storage would not see them) as lineage artifacts, offered for deletion.
 */
export function hubCacheArtifacts(versions: readonly Pick<DatasetRecord, 'name' | 'source'>[], cached: readonly CachedModel[]): LineageArtifact[] {
  const out: LineageArtifact[] = [];
  const seen = new Set<string>();
  for (const v of versions) {
    const split = v.source === 'hub' ? hubSplitOf(v.name) : null;
    if (!split || seen.has(hubCacheId(split))) continue;
    seen.add(hubCacheId(split));
    const at = cacheLocation(split);
    const files = cached.filter((m) => m.repo === at.repo && m.revision === at.revision).flatMap((m) => m.files.filter((f) => f.file.startsWith(at.prefix)));
    if (!files.length) continue;
    const bytes = files.reduce((n, f) => n + f.bytes, 0);
    out.push({ kind: 'hub-cache', id: hubCacheId(split), name: `Downloaded Parquet of ${split.repo} (${split.config}/${split.split})`, detail: `${files.length} file${files.length === 1 ? '' : 's'}, ${(bytes / 2 ** 20).toFixed(1)} MiB in Cache Storage` });
  }
  return out;
}

/** Deletes one split's cached files; returns how many were removed (0 when already gone, so a resumed erasure repeats it safely). */
export async function deleteHubSplitFiles(cache: BrowserModelCache, s: HubSplit): Promise<number> {
  const at = cacheLocation(s);
  return cache.deleteFiles(at.repo, at.revision, at.prefix);
}
