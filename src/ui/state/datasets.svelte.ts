// Datasets: the stored list (metadata only), the current one, and importing new ones in the worker.
import { deleteOrphanChunks, listDatasets } from '../../storage/datasets';
import type { DatasetSummary } from '../../contract';
import type { CsvMapping, DatasetPreview, HubDatasetImportInput, ParseProgress, TableMapping } from '../../contract';
import * as Comlink from 'comlink';
import type { SkillName } from '../../engine/world/types';
import { startJob, type JobHandle } from '../job-client';
import { gpuWorker } from '../worker-client';
import { toShownError, type ShownError } from '../errors-ui';

const CURRENT_KEY = 'tunelab.currentDataset';
export const DEFAULT_SPLIT_SEED = 1234;
export const EXAMPLE_ROWS = 400;

export class DatasetsState {
  list = $state.raw<DatasetSummary[]>([]);
  currentId = $state<string | null>(localStorage.getItem(CURRENT_KEY));
  /** The current dataset's metadata (counts, stats, chunk sizes); its rows are read a page at a time by the preview. */
  current = $derived(this.list.find((d) => d.id === this.currentId) ?? null);
  importing = $state<{ name: string; progress: ParseProgress | null } | null>(null);
  error = $state<ShownError | null>(null);
  /** A CSV waiting for its column mapping. */
  pendingCsv = $state<{ file: File; columns: string[] } | null>(null);
  /** A Parquet file or a ShareGPT/Alpaca file shown (format, first rows, mapping) before it is imported. */
  pendingPreview = $state.raw<{ title: string; preview: DatasetPreview; file: File; format: 'jsonl' | 'parquet' } | null>(null);
  private job: JobHandle<DatasetSummary> | null = null;

  /** At start-up: rows an import left behind when its tab closed are removed, then the list is read. */
  async load(): Promise<void> {
    await deleteOrphanChunks().catch((error: unknown) => console.error('TuneLab could not clean up an unfinished import:', error));
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.list = await listDatasets();
    if (this.currentId && !this.list.some((d) => d.id === this.currentId)) this.select(null);
  }

  select(id: string | null): void {
    this.currentId = id;
    if (id) localStorage.setItem(CURRENT_KEY, id);
    else localStorage.removeItem(CURRENT_KEY);
  }

  /** TuneLab's own JSONL goes straight to the worker; CSV first asks which column is which; Parquet, ShareGPT and Alpaca show a preview. */
  async chooseFile(file: File): Promise<void> {
    this.error = null;
    this.pendingCsv = null;
    this.pendingPreview = null;
    if (/\.parquet$/i.test(file.name)) {
      try {
        this.pendingPreview = { title: file.name, preview: await gpuWorker().datasetPreview(file, 'parquet', file.name), file, format: 'parquet' };
      } catch (e) {
        this.error = toShownError(e);
      }
      return;
    }
    if (/\.csv$/i.test(file.name) || file.type === 'text/csv') {
      try {
        this.pendingCsv = { file, columns: await gpuWorker().csvColumns(file) };
      } catch (e) {
        this.error = toShownError(e);
      }
      return;
    }
    try {
      const preview = await gpuWorker().datasetPreview(file, 'jsonl', file.name);
      if (preview.detected === 'sharegpt' || preview.detected === 'alpaca') {
        this.pendingPreview = { title: file.name, preview, file, format: 'jsonl' };
        return;
      }
    } catch (e) {
      this.error = toShownError(e);
      return;
    }
    await this.runImport(file.name, (api, id, onProgress) => api.parseDataset(id, { file, name: file.name, format: 'jsonl', splitSeed: DEFAULT_SPLIT_SEED }, onProgress));
  }

  /** Imports the previewed file as the user mapped it. */
  async importPreviewed(mapping: TableMapping): Promise<void> {
    const pending = this.pendingPreview;
    if (!pending) return;
    this.pendingPreview = null;
    const { file, format } = pending;
    await this.runImport(file.name, (api, id, onProgress) =>
      api.parseDataset(id, { file, name: file.name, format, tableMapping: format === 'parquet' ? mapping : undefined, splitSeed: DEFAULT_SPLIT_SEED }, onProgress),
    );
  }

  async importCsv(mapping: CsvMapping): Promise<void> {
    const pending = this.pendingCsv;
    if (!pending) return;
    this.pendingCsv = null;
    const { file } = pending;
    await this.runImport(file.name, (api, id, onProgress) => api.parseDataset(id, { file, name: file.name, format: 'csv', csvMapping: mapping, splitSeed: DEFAULT_SPLIT_SEED }, onProgress));
  }

  /** Downloads a Hub dataset's split (cached) and imports it as mapped. */
  async importHub(input: Omit<HubDatasetImportInput, 'splitSeed'>): Promise<void> {
    this.pendingCsv = null;
    this.pendingPreview = null;
    const name = `${input.repo} (${input.config}/${input.split})`;
    await this.runImport(name, (api, id, onProgress) => api.hubDatasetImport(id, { ...input, splitSeed: DEFAULT_SPLIT_SEED }, onProgress));
  }

  async createExample(): Promise<void> {
    await this.runImport('example dataset', (api, id) => api.exampleDataset(id, EXAMPLE_ROWS, DEFAULT_SPLIT_SEED));
  }

  async createWorld(skill: SkillName, size: number): Promise<void> {
    await this.runImport(`Tiny World ${skill}`, (api, id) => api.worldDataset(id, skill, size, DEFAULT_SPLIT_SEED));
  }

  cancelImport(): void {
    void this.job?.stop('cancel');
  }

  private async runImport(
    name: string,
    call: (api: ReturnType<typeof gpuWorker>, id: string, onProgress: ((p: ParseProgress) => void) & Comlink.ProxyMarked) => Promise<DatasetSummary>,
  ): Promise<void> {
    this.error = null;
    this.importing = { name, progress: null };
    const onProgress = Comlink.proxy((p: ParseProgress) => {
      if (this.importing) this.importing = { name, progress: p };
    });
    this.job = startJob((api, id) => call(api, id, onProgress));
    try {
      const summary = await this.job.result;
      await this.refresh();
      this.select(summary.id);
    } catch (e) {
      this.error = toShownError(e);
    } finally {
      this.importing = null;
      this.job = null;
    }
  }
}
