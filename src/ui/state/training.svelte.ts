// Training runs: the stored list, the current run's live progress and metric series, and start/pause/resume/cancel;
// a run is trained by one tab at a time (its Web Lock), and other tabs show it as running there, live.
import * as Comlink from 'comlink';
import { listRuns, loadRun, markOrphanedRunsInterrupted, saveRun } from '../../storage/runs';
import { loadDataset } from '../../storage/datasets';
import type { DatasetSummary, MetricPoint, RunRecord, TinyModelSpec, TrainHyperparameters } from '../../contract';
import type { RegressionSuiteSpec, StopReason, TrainProgress, TrainResult } from '../../contract';
import { vocabOfChars } from '../../engine/tokenizers/char-vocab';
import { startJob, type JobHandle } from '../job-client';
import { toShownError, type ShownError } from '../errors-ui';
import { heldRunIds, whenRunReleased, withRunLock } from '../../storage/run-lock';
import { RunChannel, type RunMessage } from '../ownership/run-channel';
import { applyRunMessage, newerPoints, NOWHERE, type Elsewhere } from '../ownership/elsewhere';
import { SvelteSet } from 'svelte/reactivity';
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
/** A tab following another tab's run rereads the stored runs at that run's checkpoints, at most this often. */
const ELSEWHERE_REFRESH_MS = 5000;

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
  /** Runs another tab is training now (it holds their lock), with the latest progress it sent (null before the first). */
  elsewhere = $state.raw<Elsewhere>(NOWHERE);
  private job: JobHandle<TrainResult> | null = null;
  /** Set from a start/resume until its job ends (covers the wait for the lock, so a double click starts one job). */
  private claiming = false;
  private readonly channel = new RunChannel((message) => this.heard(message));
  /** Runs held by another tab whose release this tab waits for, to show their final state (or offer Resume). */
  private readonly watching = new SvelteSet<string>();
  private lastElsewhereRefresh = 0;
  private pendingMetrics: MetricPoint[] = [];
  private chartTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(protected readonly purpose: RunPurpose = 'finetune') {
    this.currentRunId = localStorage.getItem(CURRENT_KEY[purpose]);
    if (purpose === 'finetune') {
      this.hyper = readChoice(HYPER_KEY, this.hyper, restoreHyperparameters);
      persistChoice(HYPER_KEY, () => $state.snapshot(this.hyper));
    }
  }

  /** Called once at start-up: runs that were training when their page went away become resumable; runs other tabs train are watched. */
  async load(): Promise<void> {
    const held = await heldRunIds();
    await markOrphanedRunsInterrupted(held);
    await this.refresh();
    for (const run of this.runs) if (held.has(run.id)) this.watch(run.id);
  }

  async refresh(): Promise<void> {
    this.runs = (await listRuns()).filter((r) => (r.pretrain !== undefined) === (this.purpose === 'pretrain') && !r.retrieval);
    if (this.currentRunId && this.activeRunId !== this.currentRunId) {
      const stored = this.current?.metrics ?? [];
      // A run another tab trains: its stored points (up to its last checkpoint) plus those heard live since.
      if (this.elsewhere.has(this.currentRunId)) {
        this.metrics = [...stored, ...newerPoints(stored, [...this.metrics, ...this.pendingMetrics])];
        this.pendingMetrics = [];
      } else this.metrics = stored;
    }
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

  /** `suite`: a regression suite scored on the base before the first step and on the fine-tune when the run completes. */
  async start(dataset: DatasetSummary, model: TinyModelSpec, suite: RegressionSuiteSpec | null = null): Promise<void> {
    if (this.claiming) return;
    this.error = null;
    const record = await loadDataset(dataset.id);
    if (!record) {
      this.error = { name: 'Error', message: 'That dataset was deleted.', hint: 'Import or create a dataset on the Data page.' };
      return;
    }
    const now = Date.now();
    const run: RunRecord = {
      id: crypto.randomUUID(),
      name: `${model.name.split(' (')[0]} · ${this.hyper.method === 'lora' ? `LoRA r${this.hyper.lora.r}` : 'full'}${this.hyper.objective === 'dpo' && record.stats.summary.byKind.preference ? ' · DPO' : ''} · ${dataset.name}`,
      createdAt: now,
      updatedAt: now,
      datasetId: dataset.id,
      datasetName: dataset.name,
      model: $state.snapshot(model),
      // Pretrained bases bring their own tokenizer; seeded models get the dataset's characters.
      vocab: model.kind === 'tiny-gpt2' ? vocabOfChars(record.chars) : [],
      // DPO only on a dataset of preference pairs; any other dataset trains SFT whatever was chosen before.
      hyper: { ...$state.snapshot(this.hyper), objective: (record.stats.summary.byKind.preference ?? 0) > 0 ? (this.hyper.objective ?? 'sft') : 'sft' },
      status: 'queued',
      step: 0,
      lastCheckpointStep: null,
      metrics: [],
      ...(suite && { regression: { suite: $state.snapshot(suite) } }),
    };
    await this.runJob(run.id, run);
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

  /**
   * Runs (or resumes) a run in the worker, with live progress, until it stops, holding the run's lock all along: a run
   * another tab holds is refused (RunLockedError). A new run (`create`) is stored once the lock is held, so no
   * other tab starting up meanwhile takes it for an orphan.
   */
  protected async runJob(runId: string, create?: RunRecord): Promise<void> {
    if (this.job || this.claiming) return;
    this.claiming = true;
    try {
      await withRunLock(runId, async () => {
        if (create) {
          await saveRun(create);
          await this.refresh();
          this.select(create.id);
        }
        await this.runLocked(runId);
      });
    } catch (e) {
      this.error = toShownError(e);
    } finally {
      this.claiming = false;
    }
  }

  private async runLocked(runId: string): Promise<void> {
    const stored = await loadRun(runId);
    const keptSteps = stored?.lastCheckpointStep ?? 0;
    // Points after the last checkpoint are measured again on resume; drop them so the series stays one line.
    this.metrics = (stored?.metrics ?? []).filter((m) => m.step <= keptSteps);
    this.activeRunId = runId;
    this.live = null;
    this.channel.post({ kind: 'started', purpose: this.purpose, runId });
    const onProgress = Comlink.proxy((p: TrainProgress) => {
      this.live = p;
      this.channel.post({ kind: 'progress', purpose: this.purpose, runId, progress: p });
      if (p.newMetrics.length) this.queueMetrics(p.newMetrics);
      // The regression suite's base scores were stored on the run: show them while it trains.
      if (p.regression) this.refresh().catch((e: unknown) => (this.error = toShownError(e)));
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
      this.channel.post({ kind: 'stopped', purpose: this.purpose, runId });
      await this.afterJob();
    }
  }

  /** A message from another tab's job: show its run as running there, with its progress and new points. */
  private heard(message: RunMessage): void {
    if (message.purpose !== this.purpose || message.runId === this.activeRunId) return;
    const before = this.elsewhere.get(message.runId);
    this.elsewhere = applyRunMessage(this.elsewhere, message);
    if (message.kind === 'stopped') return;
    this.watch(message.runId);
    // Reread the stored runs when the other tab starts one (new to this list, or its status changed) and at its checkpoints.
    const checkpointed = message.kind === 'progress' && before?.lastCheckpointStep !== message.progress.lastCheckpointStep;
    if (message.kind === 'started' || (checkpointed && Date.now() - this.lastElsewhereRefresh >= ELSEWHERE_REFRESH_MS)) {
      this.lastElsewhereRefresh = Date.now();
      this.refresh().catch((e: unknown) => (this.error = toShownError(e)));
    }
    if (message.kind === 'progress' && message.runId === this.currentRunId) {
      const points = newerPoints([...this.metrics, ...this.pendingMetrics], message.progress.newMetrics);
      if (points.length) this.queueMetrics(points);
    }
  }

  /** Waits for another tab to let go of a run, then shows how it ended; a run left "running" (its tab closed) becomes resumable. */
  private watch(runId: string): void {
    if (this.watching.has(runId) || this.activeRunId === runId) return;
    this.watching.add(runId);
    if (!this.elsewhere.has(runId)) this.elsewhere = applyRunMessage(this.elsewhere, { kind: 'started', purpose: this.purpose, runId });
    whenRunReleased(runId)
      .then(async () => {
        this.elsewhere = applyRunMessage(this.elsewhere, { kind: 'stopped', purpose: this.purpose, runId });
        await markOrphanedRunsInterrupted(await heldRunIds());
        await this.refresh();
      })
      .catch((e: unknown) => (this.error = toShownError(e)))
      .finally(() => this.watching.delete(runId));
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
