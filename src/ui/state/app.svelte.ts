// The app's state, one instance shared through context: navigation, choices, datasets, runs, storage, backend.
import { getContext, setContext } from 'svelte';
import { BackendState } from './backend.svelte';
import { DatasetsState } from './datasets.svelte';
import { GenerationState } from './generation.svelte';
import { ModelChoice } from './models.svelte';
import { ModelLoaderState } from './model-loader.svelte';
import { ModelRestore } from '../models/model-restore';
import { Navigation } from './navigation.svelte';
import { PresentationMode } from './presentation.svelte';
import { PretrainState } from './pretrain.svelte';
import { StorageState } from './storage.svelte';
import { TrainingState } from './training.svelte';
import { ErasuresState } from './erasures.svelte';

export class AppState {
  readonly nav = new Navigation();
  readonly presentation = new PresentationMode();
  readonly backend = new BackendState();
  readonly model = new ModelChoice();
  /** The Models page's loader, here so a model chosen before a reload can come back from the cache on any page. */
  readonly modelLoader = new ModelLoaderState();
  readonly modelRestore = new ModelRestore(this.model, this.modelLoader);
  readonly datasets = new DatasetsState();
  readonly training = new TrainingState();
  readonly pretrain = new PretrainState();
  readonly generation = new GenerationState();
  readonly storage = new StorageState(() => this.model.loaded?.weightsSha256 ?? null);
  /** Forget: erasure reports, and journals of unfinished erasures (resumed at start-up). */
  readonly erasures = new ErasuresState();

  async start(): Promise<void> {
    void this.backend.start();
    void this.storage.askPersistence();
    void this.modelRestore.fromCache();
    await Promise.all([this.datasets.load(), this.training.load(), this.pretrain.load().then(() => this.model.forgetMissing(this.pretrain.models.map((m) => m.id)))]);
    this.erasures.onChanged = async () => {
      await Promise.all([this.datasets.refresh(), this.training.refresh()]);
    };
    await this.erasures.load();
  }
}

const KEY = Symbol('tunelab-app');

export function provideApp(app: AppState): void {
  setContext(KEY, app);
}

export function useApp(): AppState {
  return getContext<AppState>(KEY);
}
