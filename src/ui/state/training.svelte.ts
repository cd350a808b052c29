// Training runs: the stored list, the current run's live progress and metric series, and start/pause/resume/cancel.
import * as Comlink from 'comlink';
import { listRuns, loadRun, markOrphanedRunsInterrupted, saveRun } from '../../storage/runs';
import { loadDataset } from '../../storage/datasets';
import type { DatasetSummary, MetricPoint, RunRecord, TinyModelSpec, TrainHyperparameters } from '../../storage/types';
import type { TrainProgress, TrainResult } from '../../../workers/jobs/train';
import { vocabOfChars } from '../../../workers/jobs/char-vocab';
import type { StopReason } from '../../../workers/job-queue';
import { startJob, type JobHandle } from '../job-client';
import { toShownError, type ShownError } from '../errors-ui';
import { defaultHyperparameters } from './hyperparameters';
import { overDefaults, persistChoice, readChoice } from './persisted.svelte';

/** Which runs a state holds: fine-tuning runs (Train page) or pretraining runs (Models page); each remembers its current run. */
export type RunPurpose = 'finetune' | 'pretrain';
const CURRENT_KEY: Record<RunPurpose, string> = { finetune: 'tunelab.currentRun', pretrain: 'tunelab.currentPretrainRun' };
/** The Train page's settings are remembered across reloads (pretraining derives its own from the recipe). */
const HYPER_KEY = 'tunelab.trainSettings';

/** Stored settings over today's defaults; null when they are not settings (then the defaults apply). */
export function restoreHyperparameters(stored: unknown): TrainHyperparameters | null {
  const hyper = overDefaults(defaultHyperparameters(), stored);
  const targets: unknown = hyper?.lora.targetModules;
  if (!hyper || !Array.isArray(targets) || !targets.every((t) => typeof t === 'string')) return null;
  return hyper;
}

/** Charts redraw at most this often while training (Plot rebuilds its SVG; more often only costs main-thread time). */
const CHART_REFRESH_MS = 1000;

export class TrainingState {
  runs = $state.raw<RunRecord[]>([]);
  currentRunId = $state<string | null>(null);
  current = $derived(this.runs.find((r) => r.id === this.currentRunId) ?? null);
  /** Metric series of the current run: stored points plus live ones. */
  metrics = $state.raw<MetricPoint[]>([]);
  live = $state.raw<TrainProgress | null>(null);
  activeRunId = $state<string | null>(null);
  stopping = $state<StopReason | null>(null);
  error = $state<ShownError | null>(null);
  hyper = $state<TrainHyperparameters>(defaultHyperparameters());
  private job: JobHandle<TrainResult> | null = null;
  private pendingMetrics: MetricPoint[] = [];
  private chartTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(protected readonly purpose: RunPurpose = 'finetune') {
    this.currentRunId = localStorage.getItem(CURRENT_KEY[purpose]);
    if (purpose === 'finetune') {
      this.hyper = readChoice(HYPER_KEY, this.hyper, restoreHyperparameters);
      persistChoice(HYPER_KEY, () => $state.snapshot(this.hyper));
    }
  }

  /** Called once at start-up: runs that were training when the page went away become resumable. */
  async load(): Promise<void> {
    await markOrphanedRunsInterrupted();
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.runs = (await listRuns()).filter((r) => (r.pretrain !== undefined) === (this.purpose === 'pretrain'));
    if (this.currentRunId && this.activeRunId !== this.currentRunId) this.metrics = this.current?.metrics ?? [];
  }

  select(id: string | null): void {
    this.currentRunId = id;
    if (id) localStorage.setItem(CURRENT_KEY[this.purpose], id);
    else localStorage.removeItem(CURRENT_KEY[this.purpose]);
    this.live = null;
    this.metrics = this.current?.metrics ?? [];
  }

  /** Steady tokens/s of the latest earlier run with this model shape (its last point, after ≥ 5 steps), for the time estimate. */
  measuredSpeed(spec: TinyModelSpec): number | null {
    for (const run of this.runs) {
      if (run.model.kind !== spec.kind || run.model.n_embd !== spec.n_embd || run.model.n_layer !== spec.n_layer || run.metrics.length < 5) continue;
      const speed = run.metrics.at(-1)?.tokensPerSec;
      if (speed) return speed;
    }
    return null;
  }

  async start(dataset: DatasetSummary, model: TinyModelSpec): Promise<void> {
    this.error = null;
    const record = await loadDataset(dataset.id);
    if (!record) {
      this.error = { name: 'Error', message: 'That dataset was deleted.', hint: 'Import or create a dataset on the Data page.' };
      return;
    }
    const now = Date.now();
    const run: RunRecord = {
      id: crypto.randomUUID(),
      name: `${model.name.split(' (')[0]} · ${this.hyper.method === 'lora' ? `LoRA r${this.hyper.lora.r}` : 'full'} · ${dataset.name}`,
      createdAt: now,
      updatedAt: now,
      datasetId: dataset.id,
      datasetName: dataset.name,
      model: $state.snapshot(model),
      // Pretrained bases bring their own tokenizer; seeded models get the dataset's characters.
      vocab: model.kind === 'tiny-gpt2' ? vocabOfChars(record.chars) : [],
      hyper: $state.snapshot(this.hyper),
      status: 'queued',
      step: 0,
      lastCheckpointStep: null,
      metrics: [],
    };
    await saveRun(run);
    await this.refresh();
    this.select(run.id);
    await this.runJob(run.id);
  }

  async resume(runId: string): Promise<void> {
    this.error = null;
    this.select(runId);
    await this.runJob(runId);
  }

  async stop(reason: StopReason): Promise<void> {
    if (!this.job) return;
    this.stopping = reason;
    await this.job.stop(reason);
  }

  /** Runs (or resumes) a stored run in the worker, with live progress, until it stops. */
  protected async runJob(runId: string): Promise<void> {
    if (this.job) return;
    const stored = await loadRun(runId);
    const keptSteps = stored?.lastCheckpointStep ?? 0;
    // Points after the last checkpoint are measured again on resume; drop them so the series stays one line.
    this.metrics = (stored?.metrics ?? []).filter((m) => m.step <= keptSteps);
    this.activeRunId = runId;
    this.live = null;
    const onProgress = Comlink.proxy((p: TrainProgress) => {
      this.live = p;
      if (p.newMetrics.length) this.queueMetrics(p.newMetrics);
    });
    this.job = startJob((api, id) => (this.purpose === 'pretrain' ? api.pretrain(id, runId, onProgress) : api.train(id, runId, onProgress)));
    try {
      await this.job.result;
    } catch (e) {
      this.error = toShownError(e);
    } finally {
      this.flushMetrics();
      // Reload the run before leaving the live view, so its stale pre-run record (step 0, "running") never shows.
      await this.refresh();
      this.job = null;
      this.activeRunId = null;
      this.stopping = null;
      this.metrics = this.current?.metrics ?? this.metrics;
      await this.afterJob();
    }
  }

  /** Hook for subclasses: called after every job, finished or not. */
  protected async afterJob(): Promise<void> {}

  private queueMetrics(points: MetricPoint[]): void {
    this.pendingMetrics.push(...points);
    this.chartTimer ??= setTimeout(() => this.flushMetrics(), CHART_REFRESH_MS);
  }

  private flushMetrics(): void {
    if (this.chartTimer) clearTimeout(this.chartTimer);
    this.chartTimer = null;
    if (this.pendingMetrics.length) this.metrics = [...this.metrics, ...this.pendingMetrics];
    this.pendingMetrics = [];
  }
}
