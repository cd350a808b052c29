// A Hub dataset being chosen on the Data page: its repo id, the listed configs and splits, and the preview job of one split.
import * as Comlink from 'comlink';
import type { DatasetPreview, HubDatasetInput, HubDatasetListing, ParseProgress } from '../../contract';
import { startJob, type JobHandle } from '../job-client';
import { gpuWorker } from '../worker-client';
import { toShownError, type ShownError } from '../errors-ui';

export const DEFAULT_DATASET_ENDPOINT = 'https://huggingface.co';

export class HubDatasetState {
  repo = $state('');
  endpoint = $state(DEFAULT_DATASET_ENDPOINT);
  listing = $state.raw<HubDatasetListing | null>(null);
  config = $state('');
  split = $state('');
  busy = $state<'listing' | 'preview' | null>(null);
  progress = $state<ParseProgress | null>(null);
  /** The split previewed, waiting for the user to import it (or not). */
  preview = $state.raw<{ input: HubDatasetInput; preview: DatasetPreview } | null>(null);
  error = $state<ShownError | null>(null);
  private job: JobHandle<DatasetPreview> | null = null;

  readonly splits = $derived(this.listing?.configs.find((c) => c.name === this.config)?.splits ?? []);

  /** Lists the Parquet conversion's configs and splits; picks "train" (or the first) to start with. */
  async list(): Promise<void> {
    this.error = null;
    this.listing = null;
    this.preview = null;
    this.busy = 'listing';
    try {
      const listing = await gpuWorker().hubDatasetSplits(this.repo.trim(), this.endpoint.trim());
      this.listing = listing;
      const config = listing.configs.find((c) => c.name === 'default') ?? listing.configs[0];
      this.config = config.name;
      this.split = (config.splits.find((s) => s.name === 'train') ?? config.splits[0]).name;
    } catch (e) {
      this.error = toShownError(e);
    } finally {
      this.busy = null;
    }
  }

  chooseConfig(name: string): void {
    this.config = name;
    const splits = this.listing?.configs.find((c) => c.name === name)?.splits ?? [];
    this.split = (splits.find((s) => s.name === 'train') ?? splits[0])?.name ?? '';
    this.preview = null;
  }

  /** Downloads the split's first file (kept in the cache for the import) and shows its format and first rows. */
  async loadPreview(): Promise<void> {
    if (!this.listing) return;
    const input: HubDatasetInput = { repo: this.listing.repo, endpoint: this.endpoint.trim(), config: this.config, split: this.split };
    this.error = null;
    this.preview = null;
    this.busy = 'preview';
    this.progress = null;
    const onProgress = Comlink.proxy((p: ParseProgress) => {
      if (this.busy === 'preview') this.progress = p;
    });
    this.job = startJob((api, id) => api.hubDatasetPreview(id, input, onProgress));
    try {
      this.preview = { input, preview: await this.job.result };
    } catch (e) {
      this.error = toShownError(e);
    } finally {
      this.busy = null;
      this.job = null;
    }
  }

  cancel(): void {
    void this.job?.stop('cancel');
  }
}
