// State of the model loader: the load job, per-file download progress, the result, errors and the cached-model list.
import * as Comlink from 'comlink';
import { startJob, type JobHandle } from '../job-client';
import { toShownError, type ShownError } from '../errors-ui';
import { browserModelCache, type CachedModel } from '../../storage/model-cache';
import type { LoadModelInput, LoadModelProgress, LoadModelSummary } from '../../contract';

export class ModelLoaderState {
  /** Latest progress per file, in the order files started. */
  progress = $state.raw<LoadModelProgress[]>([]);
  summary = $state.raw<LoadModelSummary | null>(null);
  error = $state.raw<ShownError | null>(null);
  busy = $state(false);
  cached = $state.raw<CachedModel[]>([]);
  private job: JobHandle<LoadModelSummary> | null = null;

  async load(input: LoadModelInput): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    this.summary = null;
    this.progress = [];
    const onProgress = Comlink.proxy((p: LoadModelProgress) => {
      const known = this.progress.some((q) => q.file === p.file);
      this.progress = known ? this.progress.map((q) => (q.file === p.file ? p : q)) : [...this.progress, p];
    });
    try {
      this.job = startJob((api, id) => api.loadModel(id, input, onProgress));
      this.summary = await this.job.result;
    } catch (e) {
      this.error = toShownError(e);
    } finally {
      this.busy = false;
      this.job = null;
      await this.refreshCache();
    }
  }

  async cancel(): Promise<void> {
    await this.job?.stop('cancel');
  }

  async refreshCache(): Promise<void> {
    this.cached = (await browserModelCache()?.list()) ?? [];
  }

  async deleteCached(model: CachedModel): Promise<void> {
    await browserModelCache()?.delete(model.repo, model.revision);
    await this.refreshCache();
  }
}
