// Brings back a Hub model chosen before a reload: by itself from the browser cache (no network), or on "Load again".
import { browserModelCache } from '../../storage/model-cache';
import { loadedModelSpec, type ModelChoice } from '../state/models.svelte';
import { cachedCompletely, rememberLoaded } from '../state/remembered-model';
import type { ModelLoaderState } from '../state/model-loader.svelte';

/** The shard names model.safetensors.index.json assigns tensors to, or null when it cannot be read. */
function shardsOf(bytes: Uint8Array): string[] | null {
  try {
    const map = (JSON.parse(new TextDecoder().decode(bytes)) as { weight_map?: Record<string, unknown> }).weight_map;
    return map && typeof map === 'object' ? [...new Set(Object.values(map).filter((v): v is string => typeof v === 'string'))] : null;
  } catch {
    return null;
  }
}

export class ModelRestore {
  constructor(
    private readonly choice: ModelChoice,
    readonly loader: ModelLoaderState,
  ) {}

  /** Whether every file of the pending Hub model is in the browser cache. */
  async pendingIsCached(): Promise<boolean> {
    const r = this.choice.pending;
    const cache = browserModelCache();
    if (!r || r.source !== 'hub' || !cache) return false;
    const files = (await cache.list()).find((m) => m.repo === r.repo && m.revision === r.revision)?.files.map((f) => f.file) ?? [];
    const index = files.includes('model.safetensors.index.json') ? await cache.get({ repo: r.repo, revision: r.revision, file: 'model.safetensors.index.json' }) : null;
    return cachedCompletely(files, index ? shardsOf(index.bytes) : null);
  }

  /** At start: a pending Hub model whose files are all cached is loaded again and chosen; anything else waits for the user. */
  async fromCache(): Promise<void> {
    if (await this.pendingIsCached()) await this.loadAgain();
  }

  /** Loads the pending Hub model (from the cache where it is there) and makes it the base, unless the user chose another meanwhile. */
  async loadAgain(): Promise<void> {
    const r = this.choice.pending;
    if (!r || r.source !== 'hub') return;
    await this.loader.load({ kind: 'hub', repo: r.repo, revision: r.revision, endpoint: r.endpoint });
    const summary = this.loader.summary;
    if (!summary || this.choice.pending !== r) return;
    const spec = loadedModelSpec(summary);
    this.choice.chooseLoaded(spec, rememberLoaded(summary, spec.name, r.endpoint));
  }
}
