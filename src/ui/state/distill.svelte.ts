// Distillation: pick a teacher and a prompt source, generate (progress, ETA, cancel), review, save as a dataset; a cancelled or failed run stays a draft; compare a student.
import * as Comlink from 'comlink';
import { SvelteSet } from 'svelte/reactivity';
import type { DatasetRecord, DistillInput, DistillProgress, DistillPromptSource, DistillResult, SplitName } from '../../contract';
import { deserializeError } from '../../engine/errors';
import { inheritanceCounts, sameAnswer, type InheritanceCounts } from '../../engine/teacher/inheritance';
import { startJob, type JobHandle } from '../job-client';
import { toShownError, type ShownError } from '../errors-ui';
import { overDefaults, persistChoice, readChoice } from './persisted.svelte';

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

  /** What the generation (or comparison) under way is doing; null when idle. */
  running = $state<'generate' | 'teacher' | 'student' | null>(null);
  progress = $state.raw<DistillProgress | null>(null);
  private startedAt = 0;
  /** Seconds since the job started, refreshed with each progress event. */
  elapsed = $state(0);
  /** The last generation: complete, or a draft (cancelled or failed) kept until saved or discarded. */
  result = $state.raw<DistillResult | null>(null);
  /** Rows (by source index) the reviewer left out of the dataset. */
  readonly dropped = new SvelteSet<number>();
  error = $state<ShownError | null>(null);
  saved = $state.raw<DatasetRecord | null>(null);
  saving = $state(false);
  /** The comparison: the teacher's and the student's answers on one prompt source. */
  compared = $state.raw<{ rows: ComparedRow[]; teacherLabel: string; studentLabel: string; source: string; counts: InheritanceCounts | null } | null>(null);
  private job: JobHandle<DistillResult> | null = null;

  constructor() {
    persistChoice(KEY, () => ({
      side: this.side, sourceKind: this.sourceKind, split: this.split, limit: this.limit, skill: this.skill, worldCount: this.worldCount,
      worldSeed: this.worldSeed, worldSplit: this.worldSplit, maxTokens: this.maxTokens, temperature: this.temperature, topP: this.topP, seed: this.seed,
    }));
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

  private input(runId: string, side: 'base' | 'tuned', source: DistillPromptSource, allowEmpty = false): DistillInput {
    return { teacher: { runId, side }, source, maxTokens: this.maxTokens, temperature: this.temperature, topP: this.topP, seed: this.seed, ...(allowEmpty ? { allowEmpty } : {}) };
  }

  private async run(input: DistillInput, phase: 'generate' | 'teacher' | 'student'): Promise<DistillResult | null> {
    this.running = phase;
    this.progress = null;
    this.startedAt = performance.now();
    this.elapsed = 0;
    const onProgress = Comlink.proxy((p: DistillProgress) => {
      this.progress = p;
      this.elapsed = (performance.now() - this.startedAt) / 1000;
    });
    this.job = startJob((api, id) => api.distill(id, input, onProgress));
    try {
      return await this.job.result;
    } catch (e) {
      this.error = toShownError(e);
      return null;
    } finally {
      this.running = null;
      this.job = null;
    }
  }

  /** Generates the teacher's answers; a cancel or failure keeps what came back as a draft (never merged into anything). */
  async generate(datasetId: string | null): Promise<void> {
    const source = this.source(datasetId);
    if (!this.teacherRunId || !source) return;
    this.error = null;
    this.saved = null;
    this.result = null;
    this.dropped.clear();
    const result = await this.run(this.input(this.teacherRunId, this.side, source), 'generate');
    if (!result) return;
    this.result = result;
    if (result.status === 'failed' && result.error) this.error = toShownError(deserializeError(result.error));
  }

  cancel(): void {
    void this.job?.stop('cancel');
  }

  discard(): void {
    this.result = null;
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
      const spec = { name, rows, producer: result.producer, stopSuffix: result.stopSuffix, sourceLabel: result.sourceLabel, draft: result.status !== 'complete', total: result.total, splitSeed: this.seed };
      this.saved = await startJob((api, id) => api.saveDistilled(id, spec)).result;
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
  async compare(teacher: { runId: string; side: 'base' | 'tuned'; label: string }, student: { runId: string; label: string }, datasetId: string | null): Promise<void> {
    const source = this.source(datasetId);
    if (!source) return;
    this.error = null;
    this.compared = null;
    const byTeacher = await this.run(this.input(teacher.runId, teacher.side, source, true), 'teacher');
    if (!byTeacher || byTeacher.status !== 'complete') return this.stopped(byTeacher);
    const byStudent = await this.run(this.input(student.runId, 'tuned', source, true), 'student');
    if (!byStudent || byStudent.status !== 'complete') return this.stopped(byStudent);
    const studentOf: string[] = [];
    for (const r of byStudent.rows) studentOf[r.index] = r.completion;
    const rows: ComparedRow[] = byTeacher.rows.map((r) => ({ index: r.index, prompt: r.prompt, reference: r.reference, teacher: r.completion, student: studentOf[r.index] ?? '' }));
    const scored = rows.filter((r): r is ComparedRow & { reference: string } => r.reference !== undefined);
    this.compared = { rows, teacherLabel: teacher.label, studentLabel: student.label, source: byTeacher.sourceLabel, counts: scored.length ? inheritanceCounts(scored) : null };
  }

  private stopped(result: DistillResult | null): void {
    if (result?.status === 'failed' && result.error) this.error = toShownError(deserializeError(result.error));
  }
}

export { sameAnswer };

let shared: DistillState | null = null;

/** One distillation state per page load, so a draft survives switching pages (the Train page and back). */
export function distillState(): DistillState {
  shared ??= new DistillState();
  return shared;
}
