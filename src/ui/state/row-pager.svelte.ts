// One page of a stored dataset's rows for the preview table: reads only the chunks that hold the page.
import { loadDatasetRows } from '../../storage/datasets';
import type { DatasetRecord, DatasetRow } from '../../contract';
import { toShownError, type ShownError } from '../errors-ui';

export const PAGE_ROWS = 25;

export class RowPager {
  offset = $state(0);
  rows = $state.raw<DatasetRow[]>([]);
  loading = $state(false);
  error = $state<ShownError | null>(null);
  readonly total: number;
  /** Guards against a slow earlier page overwriting a later one. */
  private request = 0;

  constructor(private readonly dataset: Pick<DatasetRecord, 'id' | 'name' | 'chunkRows' | 'stats'>) {
    this.total = dataset.stats.rows;
  }

  get lastOffset(): number {
    return Math.max(0, Math.floor((this.total - 1) / PAGE_ROWS) * PAGE_ROWS);
  }

  /** Shows the page starting at `offset` (clamped to the dataset). */
  async show(offset: number): Promise<void> {
    const start = Math.min(Math.max(0, Math.floor(offset)), this.lastOffset);
    const request = ++this.request;
    this.loading = true;
    try {
      const rows = await loadDatasetRows(this.dataset, start, PAGE_ROWS);
      if (request !== this.request) return;
      this.offset = start;
      this.rows = rows;
      this.error = null;
    } catch (e) {
      if (request === this.request) this.error = toShownError(e);
    } finally {
      if (request === this.request) this.loading = false;
    }
  }

  /** Shows the page holding row number `row` (1-based). */
  goToRow(row: number): Promise<void> {
    return this.show(Math.floor((row - 1) / PAGE_ROWS) * PAGE_ROWS);
  }
}
