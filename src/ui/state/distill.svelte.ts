// Distillation: pick a teacher (a run's model on TuneLab's engine, or the web-llm model loaded in this tab) and a prompt source, generate (progress, ETA, cancel), review, save as a dataset; a cancelled or failed run is stored as a draft (listed, resumable, saveable, deletable); compare a student.
import * as Comlink from 'comlink';
import { SvelteSet } from 'svelte/reactivity';
import type { DatasetRecord, DistillDraftRecord, DistillInput, DistillProgress, DistillPromptSource, DistillRequest, DistillResult, DistillTeacherRef, SplitName } from '../../contract';
import { deserializeError, serializeError, TuneLabError } from '../../engine/errors';
import { inheritanceCounts, sameAnswer, type InheritanceCounts } from '../../engine/teacher/inheritance';
import { runTeacher, tinyWorldPromptFormat } from '../../engine/teacher/distill-run';
import { deleteDistillDraft, listDistillDrafts, putDistillDraft, resumedResult } from '../../storage/distill-drafts';
import { startJob, type JobHandle } from '../job-client';
import { toShownError, type ShownError } from '../errors-ui';
import { overDefaults, persistChoice, readChoice } from './persisted.svelte';
import { webLlmService } from './webllm.svelte';

const KEY = 'tunelab.distill';
const DEFAULTS = {
  side: 'tuned' as 'base' | 'tuned',
  sourceKind: 'dataset' as 'dataset' | 'world',
  split: 'train' as SplitName | 'all',
  limit: 50,
  skill: 'ROUTE',
  worldCount: 50,
  worldSeed: 1,
  worldSplit: 'train' as 'train' | 'eval',
  maxTokens: 24,
  temperature: 0,
  topP: 1,
  seed: 7,
  shots: 2,
};

/** One row of the student comparison: the prompt, the ground truth, the teacher's and the student's answers. */
export interface ComparedRow {
  index: number;
  prompt: string;
  reference?: string;
  teacher: string;
  student: string;
}

export class DistillState {
  private readonly stored = readChoice(KEY, DEFAULTS, (s) => overDefaults(DEFAULTS, s));
  teacherRunId = $state<string | null>(null);
  /** 'web-llm': the model loaded under "Bigger model (web-llm)" answers, in its own worker. */
  teacherKind = $state<'engine' | 'web-llm'>('engine');
  side = $state(this.stored.side);
  sourceKind = $state(this.stored.sourceKind);
  split = $state(this.stored.split);
  limit = $state(this.stored.limit);
  skill = $state(this.stored.skill);
  worldCount = $state(this.stored.worldCount);
  worldSeed = $state(this.stored.worldSeed);
  worldSplit = $state(this.stored.worldSplit);
  maxTokens = $state(this.stored.maxTokens);
  temperature = $state(this.stored.temperature);
  topP = $state(this.stored.topP);
  seed = $state(this.stored.seed);
  /** web-llm on Tiny World items: solved examples before each prompt (a chat model does not know the line format). */
  shots = $state(this.stored.shots);

  /** What the generation (or comparison) under way is doing; null when idle. */
  running = $state<'generate' | 'teacher' | 'student' | null>(null);
  progress = $state.raw<DistillProgress | null>(null);
  private startedAt = 0;
  /** Seconds since the job started, refreshed with each progress event. */
  elapsed = $state(0);
  /** The last generation: complete, or a draft (cancelled or failed) kept until saved or discarded. */
  result = $state.raw<DistillResult | null>(null);
  /** What `result` was asked (its teacher, prompts and sampling): a resume asks the same. */
  request = $state.raw<DistillRequest | null>(null);
  /** The stored draft `result` is (or was resumed from); null for a generation that finished and was never stored. */
  draftId = $state<string | null>(null);
  /** Stored drafts, newest first. */
  drafts = $state.raw<DistillDraftRecord[]>([]);
  /** Rows (by source index) the reviewer left out of the dataset. */
  readonly dropped = new SvelteSet<number>();
  error = $state<ShownError | null>(null);
  saved = $state.raw<DatasetRecord | null>(null);
  saving = $state(false);
  /** The comparison: the teacher's and the student's answers on one prompt source. */
  compared = $state.raw<{ rows: ComparedRow[]; teacherLabel: string; studentLabel: string; source: string; counts: InheritanceCounts | null } | null>(null);
  private job: JobHandle<DistillResult> | null = null;
  /** Stops a web-llm generation (it runs from the page, one prompt per call into web-llm's worker). */
  private webLlmRun: AbortController | null = null;
  /** Why the last web-llm generation stopped, as raised on the page. */
  private pageError: unknown = null;

  constructor() {
    persistChoice(KEY, () => ({
      side: this.side, sourceKind: this.sourceKind, split: this.split, limit: this.limit, skill: this.skill, worldCount: this.worldCount,
      worldSeed: this.worldSeed, worldSplit: this.worldSplit, maxTokens: this.maxTokens, temperature: this.temperature, topP: this.topP, seed: this.seed, shots: this.shots,
    }));
  }

  /** Reads the stored drafts (a failure to read says so and leaves the list as it was). */
  async refreshDrafts(): Promise<void> {
    try {
      this.drafts = await listDistillDrafts();
    } catch (e) {
      this.error = toShownError(e);
    }
  }

  get draft(): boolean {
    return this.result !== null && this.result.status !== 'complete';
  }

  /** Seconds left at the rate so far; null before the first row. */
  get eta(): number | null {
    const p = this.progress;
    if (!p || p.done === 0 || this.elapsed <= 0) return null;
    return ((p.total - p.done) * this.elapsed) / p.done;
  }

  source(datasetId: string | null): DistillPromptSource | null {
    if (this.sourceKind === 'world') return { kind: 'world', skill: this.skill, count: this.worldCount, seed: this.worldSeed, split: this.worldSplit };
    return datasetId ? { kind: 'dataset', datasetId, split: this.split, limit: this.limit } : null;
  }

  /** The teacher the form names: a run's model, or the loaded web-llm model; null when none is chosen (or none loaded). */
  teacherRef(): DistillTeacherRef | null {
    if (this.teacherKind === 'web-llm') {
      const id = webLlmService().loadedId;
      return id ? { kind: 'web-llm', modelId: id } : null;
    }
    return this.teacherRunId ? { kind: 'engine', runId: this.teacherRunId, side: this.side } : null;
  }

  /** The form as a request. */
  requestOf(teacher: DistillTeacherRef, teacherLabel: string, source: DistillPromptSource): DistillRequest {
    return {
      teacher,
      teacherLabel,
      source,
      maxTokens: this.maxTokens,
      temperature: this.temperature,
      topP: this.topP,
      seed: this.seed,
      ...(teacher.kind === 'web-llm' && source.kind === 'world' ? { shots: Math.max(0, Math.round(this.shots)) } : {}),
    };
  }

  private startClock(phase: 'generate' | 'teacher' | 'student'): void {
    this.running = phase;
    this.progress = null;
    this.startedAt = performance.now();
    this.elapsed = 0;
  }

  private report(p: DistillProgress): void {
    this.progress = p;
    this.elapsed = (performance.now() - this.startedAt) / 1000;
  }

  /** One generation of `request` (only the source positions not in `skip`), by whichever teacher it names. */
  private async run(request: DistillRequest, phase: 'generate' | 'teacher' | 'student', options: { allowEmpty?: boolean; skip?: number[] } = {}): Promise<DistillResult | null> {
    this.startClock(phase);
    try {
      if (request.teacher.kind === 'web-llm') return await this.runWebLlm(request, request.teacher.modelId, options);
      const input: DistillInput = {
        teacher: { runId: request.teacher.runId, side: request.teacher.side },
        source: request.source,
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        topP: request.topP,
        seed: request.seed,
        ...(options.allowEmpty ? { allowEmpty: true } : {}),
        ...(options.skip?.length ? { skip: options.skip } : {}),
      };
      const onProgress = Comlink.proxy((p: DistillProgress) => this.report(p));
      this.job = startJob((api, id) => api.distill(id, input, onProgress));
      return await this.job.result;
    } catch (e) {
      this.error = toShownError(e);
      return null;
    } finally {
      this.running = null;
      this.job = null;
      this.webLlmRun = null;
    }
  }

  /**
   * The web-llm teacher, from the page: the prompts are read here (IndexedDB or the Tiny World generator) and asked one
   * at a time of web-llm's worker, each with its source position's seed. Its failures (timeout, empty answer, lost
   * device, memory) end the run with the rows so far, like the engine job's.
   */
  private async runWebLlm(request: DistillRequest, modelId: string, options: { allowEmpty?: boolean; skip?: number[] }): Promise<DistillResult> {
    const webllm = webLlmService();
    if (webllm.loadedId !== modelId) {
      throw new TuneLabError(
        `${modelId} is not loaded${webllm.loadedId ? ` (${webllm.loadedId} is)` : ''}, so it cannot answer.`,
        'Load it under “Bigger model (web-llm)” (here or on the Models page; from web-llm’s cache once downloaded), then try again.',
      );
    }
    const started = performance.now();
    // Read in the GPU worker: the Tiny World generator stays out of the page's JavaScript (its first view's world chunk).
    const source = await startJob((api, id) => api.distillPrompts(id, request.source, request.shots ?? 0)).result;
    const shots = source.shots.length > 0 ? source.shots : undefined;
    const teacher = webllm.teacher({
      temperature: request.temperature,
      ...(request.temperature > 0 && request.topP < 1 ? { topP: request.topP } : {}),
      maxNewTokens: request.maxTokens,
      seed: request.seed,
      ...(shots ? { promptFormat: tinyWorldPromptFormat(shots.length) } : {}),
    });
    this.webLlmRun = new AbortController();
    this.report({ done: options.skip?.length ?? 0, total: source.items.length, tokens: 0 });
    const outcome = await runTeacher(teacher, source.items, {
      skip: options.skip ?? [],
      ...(shots ? { tinyWorldShots: shots } : {}),
      allowEmpty: options.allowEmpty ?? false,
      signal: this.webLlmRun.signal,
      onRow: (_row, done, total, tokens) => this.report({ done, total, tokens }),
    });
    this.pageError = outcome.error ?? null;
    return {
      status: outcome.status,
      ...(outcome.error !== undefined ? { error: serializeError(outcome.error) } : {}),
      rows: outcome.rows,
      total: source.items.length,
      producer: teacher.id,
      stopSuffix: source.endsWithNewline ? '\n' : '',
      sourceLabel: source.label,
      ...(source.dataset ? { sourceDataset: source.dataset } : {}),
      tokens: outcome.tokens,
      elapsedMs: performance.now() - started,
    };
  }

  /** Generates the teacher's answers; a cancel or failure keeps what came back as a stored draft (never merged into anything). */
  async generate(datasetId: string | null, teacherLabel = ''): Promise<void> {
    const source = this.source(datasetId);
    const teacher = this.teacherRef();
    if (!teacher || !source) return;
    this.error = null;
    this.saved = null;
    this.result = null;
    this.draftId = null;
    this.dropped.clear();
    const request = this.requestOf(teacher, teacherLabel, source);
    this.request = request;
    const result = await this.run(request, 'generate');
    if (result) await this.settle(request, result);
  }

  /** Shows a finished generation; one that did not finish is stored as a draft (or updates the draft it resumed). */
  private async settle(request: DistillRequest, result: DistillResult): Promise<void> {
    this.result = result;
    // The page's own error (web-llm's run) keeps its class and hint; one from the GPU worker is rebuilt from its record.
    if (result.status === 'failed' && result.error) this.error = toShownError(this.pageError ?? deserializeError(result.error));
    this.pageError = null;
    if (result.status === 'complete' && this.draftId === null) return;
    const now = Date.now();
    const existing = this.drafts.find((d) => d.id === this.draftId);
    const draft: DistillDraftRecord = { id: this.draftId ?? crypto.randomUUID(), createdAt: existing?.createdAt ?? now, updatedAt: now, request, result };
    try {
      await putDistillDraft(draft);
      this.draftId = draft.id;
    } catch (e) {
      this.error = toShownError(e);
    }
    await this.refreshDrafts();
  }

  /** Opens a stored draft for review (nothing is generated). */
  open(draft: DistillDraftRecord): void {
    this.error = null;
    this.saved = null;
    this.dropped.clear();
    this.request = draft.request;
    this.result = draft.result;
    this.draftId = draft.id;
  }

  /** Asks the draft's teacher, with its settings, only the prompts it lacks; the new rows join the draft's (same producer only). */
  async resume(draft: DistillDraftRecord): Promise<void> {
    this.open(draft);
    const resumed = await this.run(draft.request, 'generate', { skip: draft.result.rows.map((r) => r.index) });
    if (!resumed) return;
    let joined: DistillResult;
    try {
      joined = resumedResult(draft.result, resumed);
    } catch (e) {
      this.error = toShownError(e);
      return;
    }
    await this.settle(draft.request, joined);
  }

  async deleteDraft(id: string): Promise<void> {
    try {
      await deleteDistillDraft(id);
    } catch (e) {
      this.error = toShownError(e);
    }
    if (this.draftId === id) this.discard();
    await this.refreshDrafts();
  }

  cancel(): void {
    void this.job?.stop('cancel');
    this.webLlmRun?.abort();
  }

  /** Closes the review; a stored draft stays stored (delete it from the list). */
  discard(): void {
    this.result = null;
    this.request = null;
    this.draftId = null;
    this.dropped.clear();
    this.error = null;
  }

  toggle(index: number): void {
    if (this.dropped.has(index)) this.dropped.delete(index);
    else this.dropped.add(index);
  }

  /** Saves the kept rows as a new dataset (a draft only when the user asks, and named as one). */
  async save(name: string): Promise<DatasetRecord | null> {
    const result = this.result;
    if (!result) return null;
    this.saving = true;
    this.error = null;
    try {
      const rows = result.rows.filter((r) => !this.dropped.has(r.index));
      const spec = {
        name, rows, producer: result.producer, stopSuffix: result.stopSuffix, sourceLabel: result.sourceLabel, draft: result.status !== 'complete', total: result.total,
        splitSeed: this.request?.seed ?? this.seed, ...(result.sourceDataset ? { sourceDataset: result.sourceDataset } : {}),
      };
      this.saved = await startJob((api, id) => api.saveDistilled(id, spec)).result;
      // Saved: the stored draft has done its work (its rows are the new dataset's, marked a draft there).
      if (this.draftId) {
        await deleteDistillDraft(this.draftId);
        this.draftId = null;
        await this.refreshDrafts();
      }
      return this.saved;
    } catch (e) {
      this.error = toShownError(e);
      return null;
    } finally {
      this.saving = false;
    }
  }

  /**
   * Student vs teacher vs ground truth on one prompt source (pick held-out prompts): both answer with the same sampling,
   * empty answers kept (they count as wrong).
   */
  async compare(teacher: { ref: DistillTeacherRef; label: string }, student: { runId: string; label: string }, datasetId: string | null): Promise<void> {
    const source = this.source(datasetId);
    if (!source) return;
    this.error = null;
    this.compared = null;
    const byTeacher = await this.run(this.requestOf(teacher.ref, teacher.label, source), 'teacher', { allowEmpty: true });
    if (!byTeacher || byTeacher.status !== 'complete') return this.stopped(byTeacher);
    // The student answers the same prompts the same way: for a web-llm teacher's Tiny World prompts, the bare lines (it was trained on them).
    const byStudent = await this.run({ ...this.requestOf({ kind: 'engine', runId: student.runId, side: 'tuned' }, student.label, source), shots: undefined }, 'student', { allowEmpty: true });
    if (!byStudent || byStudent.status !== 'complete') return this.stopped(byStudent);
    const studentOf: string[] = [];
    for (const r of byStudent.rows) studentOf[r.index] = r.completion;
    const rows: ComparedRow[] = byTeacher.rows.map((r) => ({ index: r.index, prompt: r.prompt, reference: r.reference, teacher: r.completion, student: studentOf[r.index] ?? '' }));
    const scored = rows.filter((r): r is ComparedRow & { reference: string } => r.reference !== undefined);
    this.compared = { rows, teacherLabel: teacher.label, studentLabel: student.label, source: byTeacher.sourceLabel, counts: scored.length ? inheritanceCounts(scored) : null };
  }

  private stopped(result: DistillResult | null): void {
    if (result?.status === 'failed' && result.error) this.error = toShownError(this.pageError ?? deserializeError(result.error));
    this.pageError = null;
  }
}

export { sameAnswer };

let shared: DistillState | null = null;

/** One distillation state per page load, so a draft survives switching pages (the Train page and back). */
export function distillState(): DistillState {
  shared ??= new DistillState();
  return shared;
}
