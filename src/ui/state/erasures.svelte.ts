// Erasures the app knows of: reports of finished ones, and journals of unfinished ones, which are resumed at start-up.
// The journal and scan code is imported on first use, so it stays out of the first page's JavaScript.
import { toShownError, type ShownError } from '../errors-ui';
import type { ErasureRecord } from '../../contract';

const journal = () => import('../../storage/erasure-journal');

export class ErasuresState {
  records = $state.raw<ErasureRecord[]>([]);
  /** The erasure being carried on now (its latest journal state). */
  active = $state.raw<ErasureRecord | null>(null);
  error = $state<ShownError | null>(null);
  /** Called after an erasure deletes something, so lists elsewhere (datasets, runs) refresh. */
  onChanged: (() => Promise<void>) | null = null;

  async refresh(): Promise<void> {
    this.records = await (await journal()).listErasures();
  }

  /** At start-up: an erasure a reload or crash interrupted is finished now (its deletions resume where they stopped). */
  async load(): Promise<void> {
    await this.refresh();
    for (const pending of await (await journal()).unfinishedErasures()) {
      try {
        await this.carry(pending.id);
      } catch (e) {
        this.error = toShownError(e);
      }
    }
  }

  /** Deletes what is left of the erasure `id`, scans, and stores the report; throws ErasureError (resumable) on failure. */
  async carry(id: string): Promise<ErasureRecord> {
    this.error = null;
    try {
      const done = await (await journal()).runErasure(id, (record) => (this.active = record));
      return done;
    } finally {
      this.active = null;
      await this.refresh();
      await this.onChanged?.();
    }
  }

  async resume(id: string): Promise<void> {
    try {
      await this.carry(id);
    } catch (e) {
      this.error = toShownError(e);
    }
  }
}
