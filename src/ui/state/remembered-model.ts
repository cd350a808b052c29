// A base loaded from the Hub or local files, remembered across reloads: what is stored, how it is read back, whether the cache holds it.
import type { LoadModelSummary } from '../../contract';
import { LOCAL_REVISION } from '../../engine/hub/local-identity';

/** Enough to load the same model again (Hub) or to name the files to drop again (local), and to know it is the same weights. */
export type RememberedModel =
  | { source: 'hub'; name: string; repo: string; revision: string; endpoint: string; commit: string | null; weightsSha256: string }
  | { source: 'files'; name: string; weightsSha256: string };

/** What a loaded model's summary (and the endpoint it came from) says to remember; `name` is the spec's shown name. */
export function rememberLoaded(summary: LoadModelSummary, name: string, endpoint: string | null): RememberedModel {
  const id = summary.identity;
  if (id.revision === LOCAL_REVISION || endpoint === null) return { source: 'files', name, weightsSha256: id.weightsSha256 };
  return { source: 'hub', name, repo: id.repo, revision: id.revision, endpoint, commit: id.commit, weightsSha256: id.weightsSha256 };
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The remembered model from the stored choice `{ kind: 'loaded', remembered }`, or null (another kind, or malformed). */
export function restoreRemembered(stored: unknown): RememberedModel | null {
  const s = stored as { kind?: unknown; remembered?: Record<string, unknown> } | null;
  if (!s || typeof s !== 'object' || s.kind !== 'loaded' || !s.remembered || typeof s.remembered !== 'object') return null;
  const r = s.remembered;
  if (!str(r.name) || !str(r.weightsSha256)) return null;
  if (r.source === 'files') return { source: 'files', name: r.name, weightsSha256: r.weightsSha256 };
  if (r.source !== 'hub' || !str(r.repo) || !str(r.revision) || !str(r.endpoint)) return null;
  return { source: 'hub', name: r.name, repo: r.repo, revision: r.revision, endpoint: r.endpoint, commit: str(r.commit) ? r.commit : null, weightsSha256: r.weightsSha256 };
}

/**
 * Whether cached files are a whole checkpoint the loader can build without the network: config.json, tokenizer.json
 * and the weights (model.safetensors, or an index with every shard it names; `shards` are those names when known).
 */
export function cachedCompletely(files: string[], shards: string[] | null = null): boolean {
  const has = new Set(files);
  if (!has.has('config.json') || !has.has('tokenizer.json')) return false;
  if (has.has('model.safetensors')) return true;
  if (!has.has('model.safetensors.index.json') || !shards || shards.length === 0) return false;
  return shards.every((s) => has.has(s));
}

/** The words shown where the model would be while it is not loaded again. */
export function chosenBeforeReload(r: RememberedModel): string {
  return `${r.name} — chosen before the reload; load it again`;
}
