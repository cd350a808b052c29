// A bigger local model through web-llm: its prebuilt list judged against this adapter, a confirmed download with progress and cancel, and the loaded model as the port's Teacher and Judge for any feature that asks.
import * as Comlink from 'comlink';
import type { ModelRecord } from '@mlc-ai/web-llm';
import { DeviceLostError, GpuMemoryError, TuneLabError, WebLlmUnsupportedModelError } from '../../engine/errors';
import { assessModels, defaultVramBudgetMB, type AdapterSummary, type ModelChoice } from '../../engine/teacher/web-llm/models';
import { webLlmErrorOf } from '../../engine/teacher/web-llm/map-error';
import { WebLlmTeacher, type WebLlmProducerSettings } from '../../engine/teacher/web-llm/teacher';
import { WebLlmJudge, type WebLlmJudgeOptions } from '../../engine/teacher/web-llm/judge';
import type { Judge, Teacher } from '../../engine/teacher/port';
import type { CeilingResult } from '../../engine/teacher/web-llm/ceiling';
import type { ChatEngine } from '../../engine/teacher/web-llm/ask';
import { toShownError, type ShownError } from '../errors-ui';
import { startWebLlmWorker, type WebLlmSession } from '../webllm-client';

export type WebLlmPhase =
  /** Nothing of web-llm loaded yet (not even its model list). */
  | 'closed'
  | 'listing'
  /** The list is shown; a model may be selected. */
  | 'choosing'
  /** A model is selected and its download size shown: nothing is fetched until the user confirms. */
  | 'confirming'
  | 'loading'
  | 'ready';

/** What the page reads of its WebGPU adapter (features and limits only; it requests no device). */
async function probeAdapter(): Promise<AdapterSummary | string> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return 'This browser has no WebGPU, which web-llm needs: use Chrome or Edge 113+, Safari 26, or Firefox 141+ on Windows.';
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return 'WebGPU found no GPU adapter, which web-llm needs.';
  return { features: [...adapter.features], maxBufferSize: adapter.limits.maxBufferSize, maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize };
}

const NO_ADAPTER: AdapterSummary = { features: [], maxBufferSize: 0, maxStorageBufferBindingSize: 0 };

export class WebLlmState {
  phase = $state<WebLlmPhase>('closed');
  adapter = $state<AdapterSummary | null>(null);
  /** Why web-llm cannot run here at all (no WebGPU); the list still shows, every model disabled. */
  adapterProblem = $state<string | null>(null);
  /** GPU memory the user lets a web-llm model take (MB): WebGPU does not say how much a GPU has. */
  vramBudgetMB = $state(4096);
  selectedId = $state<string | null>(null);
  /** Whether the selected model's files are already in web-llm's cache (known once confirming). */
  selectedCached = $state<boolean | null>(null);
  progress = $state<{ fraction: number; text: string } | null>(null);
  error = $state<ShownError | null>(null);
  /** The model loaded and ready (its model_id). */
  loadedId = $state<string | null>(null);
  modelVersion = $state('');

  private records = $state.raw<ModelRecord[]>([]);
  private session: WebLlmSession | null = null;
  /** Bumped by every load and cancel: a load that finishes after it was cancelled is dropped. */
  private attempt = 0;

  /** Every prebuilt model judged against this adapter and the budget (web-llm's list order). */
  readonly choices = $derived<ModelChoice[]>(
    assessModels(this.records, this.adapter ?? NO_ADAPTER, this.vramBudgetMB).map((c) =>
      this.adapter || c.status === 'hidden' ? c : { ...c, status: 'disabled', reason: this.adapterProblem ?? 'no WebGPU adapter' },
    ),
  );
  readonly selected = $derived(this.choices.find((c) => c.id === this.selectedId) ?? null);

  /** Loads web-llm's list (its lazy chunk, no network) and reads the adapter. */
  async open(): Promise<void> {
    if (this.phase !== 'closed') return;
    this.phase = 'listing';
    try {
      const [catalog, adapter] = await Promise.all([this.worker().api.catalog(), probeAdapter()]);
      this.modelVersion = catalog.modelVersion;
      if (typeof adapter === 'string') this.adapterProblem = adapter;
      else {
        this.adapter = adapter;
        this.vramBudgetMB = defaultVramBudgetMB(adapter);
      }
      this.records = catalog.records;
      this.phase = 'choosing';
    } catch (e) {
      this.phase = 'closed';
      this.error = toShownError(e);
    }
  }

  select(id: string): void {
    if (this.phase === 'loading') return;
    this.selectedId = id;
    if (this.phase === 'confirming') this.phase = 'choosing';
  }

  /** Step 1 of 2: show the selected model's size; nothing is downloaded yet. */
  async review(): Promise<void> {
    const choice = this.selected;
    if (!choice) return;
    this.error = null;
    if (choice.status !== 'ok') {
      this.error = toShownError(new WebLlmUnsupportedModelError(`${choice.id} cannot run on this GPU adapter: ${choice.reason}.`, 'Pick a model the list offers (the smaller q4f32 builds run on the most adapters).'));
      return;
    }
    this.phase = 'confirming';
    this.selectedCached = await this.worker().api.isCached(choice.id).catch(() => false);
  }

  /** Step 2 of 2: the user confirmed the download; web-llm's worker fetches it (or reads its cache) and compiles it. */
  async confirm(): Promise<void> {
    const choice = this.selected;
    if (this.phase !== 'confirming' || !choice) return;
    this.loadedId = null;
    const attempt = ++this.attempt;
    this.phase = 'loading';
    this.error = null;
    this.progress = { fraction: 0, text: 'Starting web-llm…' };
    try {
      await this.worker().load(choice.id, (report) => {
        if (attempt === this.attempt) this.progress = { fraction: report.progress, text: report.text };
      });
      if (attempt !== this.attempt) return;
      this.loadedId = choice.id;
      this.phase = 'ready';
      this.progress = null;
    } catch (e) {
      if (attempt !== this.attempt) return;
      // The worker maps web-llm's failures to named errors; a failure of the worker itself is mapped here.
      const error = webLlmErrorOf(e, { modelId: choice.id, phase: 'load', online: navigator.onLine });
      // A lost device or exhausted memory leaves the worker's GPU state unusable: start afresh next time. A failed
      // download leaves it sound (and web-llm loaded), so the next try does not pay for starting it again.
      if (error instanceof DeviceLostError || error instanceof GpuMemoryError || this.session?.broken()) this.endWorker();
      this.phase = 'choosing';
      this.progress = null;
      this.error = toShownError(error);
    }
  }

  /** Stops a download (the worker is ended; what web-llm cached so far stays for next time), or steps back from confirming. */
  cancel(): void {
    this.attempt++;
    if (this.phase === 'loading' || this.phase === 'ready') this.endWorker();
    this.progress = null;
    if (this.phase === 'loading' || this.phase === 'confirming') this.phase = 'choosing';
  }

  /** Frees the loaded model (its worker ends, its GPU memory with it). */
  unload(): void {
    this.cancel();
    if (this.phase === 'ready') this.phase = 'choosing';
  }

  /** Removes the selected model's files from web-llm's cache. */
  async deleteCached(): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    if (this.loadedId === id) this.unload();
    await this.worker().api.deleteCached(id);
    this.selectedCached = false;
  }

  /** The web-llm worker, started on first need (listing the models); a cancelled download ended the last one. */
  private worker(): WebLlmSession {
    this.session ??= startWebLlmWorker();
    return this.session;
  }

  private endWorker(): void {
    this.session?.terminate();
    this.session = null;
    this.loadedId = null;
  }

  private settings(settings: Omit<WebLlmProducerSettings, 'modelId' | 'revision' | 'url'>): WebLlmProducerSettings {
    if (!this.session || !this.loadedId) throw new TuneLabError('No web-llm model is loaded.', 'Load one under "Bigger model (web-llm)" on the Models page first.');
    const url = this.records.find((r) => r.model_id === this.loadedId)?.model;
    return { ...settings, modelId: this.loadedId, revision: this.modelVersion, ...(url ? { url } : {}) };
  }

  /**
   * The session's engine, watched: a device lost (or memory exhausted) mid-generation ends the worker and says so here,
   * so the panel offers loading again instead of a model that no longer answers.
   */
  private watchedEngine(): ChatEngine {
    const session = this.session!;
    return {
      chat: {
        completions: {
          create: (request) =>
            session.engine.chat.completions.create(request).catch((e: unknown) => {
              throw this.noticeLost(e, session);
            }),
        },
      },
      interruptGenerate: () => session.engine.interruptGenerate(),
    };
  }

  /** A lost device or exhausted memory in `session`: its worker is ended, the panel says why. Returns the error. */
  private noticeLost(e: unknown, session: WebLlmSession): unknown {
    if ((e instanceof DeviceLostError || e instanceof GpuMemoryError) && this.session === session) {
      this.endWorker();
      this.phase = 'choosing';
      this.error = toShownError(e);
    }
    return e;
  }

  /** The loaded model as the port's Teacher (generation runs in web-llm's worker; the page only waits). */
  teacher(settings: Omit<WebLlmProducerSettings, 'modelId' | 'revision' | 'url'>, timeoutMs?: number): Teacher {
    const s = this.settings(settings);
    return new WebLlmTeacher(this.watchedEngine(), s, timeoutMs);
  }

  /** The loaded model scored zero- and few-shot on the Skills table's Tiny World items (in web-llm's worker). */
  async ceiling(itemsPerSkill: number, onProgress: (done: number, total: number) => void): Promise<CeilingResult> {
    this.settings({ maxNewTokens: 1, seed: 0 });
    const session = this.session!;
    return session.api.scoreCeiling(itemsPerSkill, Comlink.proxy(onProgress)).catch((e: unknown) => {
      throw this.noticeLost(e, session);
    });
  }

  stopCeiling(): void {
    void this.session?.api.stopCeiling();
  }

  /** The loaded model as the port's Judge. */
  judge(settings: Omit<WebLlmProducerSettings, 'modelId' | 'revision' | 'url'>, options?: WebLlmJudgeOptions): Judge {
    const s = this.settings(settings);
    return new WebLlmJudge(this.watchedEngine(), s, options);
  }
}

let service: WebLlmState | null = null;

/**
 * The one web-llm state of this tab, for any feature that wants a bigger model (the Models page's panel, the Evaluate
 * page's ceiling, distillation, judging): a module of its own rather than a field of AppState, so none of it is in the
 * page's first chunk. Its `teacher()` and `judge()` throw a named error until a model is loaded.
 */
export function webLlmService(): WebLlmState {
  // Made in an effect root of its own, not in whichever component asks first: its deriveds (the choices, the selected
  // model) would otherwise belong to that component's effects and stop updating for every other page that shows it.
  if (!service) $effect.root(() => void (service = new WebLlmState()));
  return service!;
}
