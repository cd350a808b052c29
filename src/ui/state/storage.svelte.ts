// The Storage page's view: every stored item with its size, the orphaned runs and adapters, the origin's usage and quota, persistence.
import { requestPersistentStorage, storageEstimate } from '../../storage/db';
import { deleteStoredItem, listStoredItems, type StoredItem } from '../../storage/usage';
import type { Orphan } from '../../storage/orphans';
import type { StoreName } from '../../storage/schema';
import { toShownError, type ShownError } from '../errors-ui';

export class StorageState {
  items = $state.raw<StoredItem[]>([]);
  /** Runs and imported adapters whose base model or dataset is gone (storage/orphans.ts). */
  orphans = $state.raw<Orphan[]>([]);
  usage = $state(0);
  quota = $state(0);
  persisted = $state<boolean | null>(null);
  error = $state<ShownError | null>(null);

  /** `loadedWeights`: sha-256 of the model the worker holds now, if any (a loaded base is not missing even when uncached). */
  constructor(private readonly loadedWeights: () => string | null = () => null) {}

  async refresh(): Promise<void> {
    try {
      // Loaded on the first visit: the first view's JavaScript stays within its budget (scripts/check-bundle.mjs).
      const { scanOrphans } = await import('../../storage/orphan-scan');
      [this.items, this.orphans] = await Promise.all([listStoredItems(), scanOrphans(this.loadedWeights())]);
      ({ usage: this.usage, quota: this.quota } = await storageEstimate());
    } catch (e) {
      this.error = toShownError(e);
    }
  }

  async askPersistence(): Promise<void> {
    this.persisted = await requestPersistentStorage().catch(() => false);
  }

  async remove(store: StoreName, id: string): Promise<void> {
    this.error = null;
    try {
      await deleteStoredItem(store, id);
    } catch (e) {
      this.error = toShownError(e);
    }
    await this.refresh();
  }

  /** Deletes several items, one after another (a run takes its checkpoints along; those are then already gone). */
  async removeMany(items: readonly Pick<StoredItem, 'store' | 'id'>[]): Promise<void> {
    this.error = null;
    try {
      for (const item of items) await deleteStoredItem(item.store, item.id);
    } catch (e) {
      this.error = toShownError(e);
    }
    await this.refresh();
  }
}
