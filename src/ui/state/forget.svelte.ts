// The Forget flow on one dataset: select records, show what was trained on them, then write the dataset minus them,
// retrain a run exactly, optionally unlearn by gradient ascent, measure, and hand the journaled erasure over.
import * as Comlink from 'comlink';
import { ForgetRequestError } from '../../engine/errors';
import { controlCanaries, ERASURE_CONTROLS } from '../../engine/privacy/control-canary';
import { describeCriteria, parseIdList, type ForgetCriteria } from '../../engine/privacy/forget-select';
import type { PiiKind } from '../../engine/data/pii-scan';
import { selectRows, type ForgetSelection } from '../../storage/dataset-forget';
import { findLineage } from '../../storage/erasure-lineage';
import { beginErasure } from '../../storage/erasure-journal';
import { loadDataset } from '../../storage/datasets';
import { heldRunIds, withRunLock } from '../../storage/run-lock';
import { loadRun, saveRun } from '../../storage/runs';
import { startJob, type JobHandle } from '../job-client';
import { toShownError, type ShownError } from '../errors-ui';
import type { DatasetRecord, DatasetSummary, ErasureMeasure, ErasureRecord, ErasureReport, ErasureTarget, LineageArtifact, RunRecord, TrainProgress } from '../../contract';
import type { ErasuresState } from './erasures.svelte';

export type ForgetMode = 'tag' | 'cohort' | 'text' | 'ids' | 'pii';

/** Steps of the flow, in order, as the panel names them. */
export type ForgetPhase = 'idle' | 'selecting' | 'writing' | 'retraining' | 'ascending' | 'measuring' | 'erasing';

export class ForgetFlow {
  mode = $state<ForgetMode>('tag');
  tag = $state('');
  cohort = $state('');
  text = $state('');
  regex = $state(false);
  ids = $state('');
  pii = $state<PiiKind>('email');

  selection = $state.raw<ForgetSelection | null>(null);
  lineage = $state.raw<LineageArtifact[] | null>(null);
  /** The request the selection was made with (a later edit of the form does not change what is forgotten). */
  private criteria: ForgetCriteria | null = null;
  retrainRunId = $state<string | null>(null);
  gradientAscent = $state(true);
  ascentSteps = $state(5);
  /** Lineage artifacts to delete (ids); the gradient-ascent run made here is deleted when `deleteAscentRun`. */
  deleteIds = $state<string[]>([]);
  deleteAscentRun = $state(true);

  phase = $state<ForgetPhase>('idle');
  progress = $state('');
  error = $state<ShownError | null>(null);
  private job: JobHandle<unknown> | null = null;

  constructor(
    readonly dataset: DatasetSummary,
    private readonly erasures: ErasuresState,
    private readonly afterChange: (newDatasetId: string | null) => Promise<void>,
  ) {
    this.tag = dataset.canaries?.length ? 'canary' : '';
    this.cohort = this.cohorts[0] ?? '';
  }

  /** The dataset's cohorts (records without one aside), for the cohort picker. */
  get cohorts(): string[] {
    return Object.keys(this.dataset.stats.summary.byCohort).filter(Boolean).sort();
  }

  get busy(): boolean {
    return this.phase !== 'idle';
  }

  /** The runs the user may retrain (trained here on this version). */
  get retrainable(): LineageArtifact[] {
    return (this.lineage ?? []).filter((a) => a.retrainable);
  }

  private criteriaOfForm(): ForgetCriteria {
    switch (this.mode) {
      case 'tag':
        return { kind: 'tag', tag: this.tag };
      case 'cohort':
        return { kind: 'cohort', cohort: this.cohort };
      case 'text':
        return { kind: 'text', query: this.text, regex: this.regex };
      case 'ids':
        return { kind: 'ids', ids: parseIdList(this.ids) };
      case 'pii':
        return { kind: 'pii', pii: this.pii };
    }
  }

  /** Finds the matching rows and what was trained on them; nothing is changed. */
  async find(): Promise<void> {
    this.error = null;
    this.selection = null;
    this.lineage = null;
    this.phase = 'selecting';
    try {
      const criteria = this.criteriaOfForm();
      const record = await this.record();
      const selection = await selectRows(record, criteria);
      const lineage = await findLineage(record, selection.rowIds);
      this.criteria = criteria;
      this.selection = selection;
      this.lineage = lineage;
      const runs = lineage.filter((a) => a.retrainable);
      this.retrainRunId = (runs.find((r) => r.status === 'completed') ?? runs[0])?.id ?? null;
      this.deleteIds = lineage.map((a) => a.id);
    } catch (e) {
      this.error = toShownError(e);
    } finally {
      this.phase = 'idle';
    }
  }

  private async record(): Promise<DatasetRecord> {
    const record = await loadDataset(this.dataset.id);
    if (!record) throw new ForgetRequestError('This dataset was deleted.', 'Pick another dataset.');
    return record;
  }

  toggleDelete(id: string, on: boolean): void {
    this.deleteIds = on ? [...this.deleteIds.filter((x) => x !== id), id] : this.deleteIds.filter((x) => x !== id);
  }

  async cancel(): Promise<void> {
    await this.job?.stop('cancel');
  }

  /** Trains a stored run to its end in the worker, holding its lock, with progress in words. */
  private async train(run: RunRecord, what: string): Promise<void> {
    await withRunLock(run.id, async () => {
      await saveRun(run);
      const onProgress = Comlink.proxy((p: TrainProgress) => {
        this.progress = `${what}: step ${p.step} of ${p.totalSteps}${p.loss !== null ? `, loss ${p.loss.toFixed(3)}` : ''}`;
      });
      this.job = startJob((api, id) => api.train(id, run.id, onProgress));
      const result = await this.job.result;
      if (result && (result as { status: string }).status !== 'completed') {
        throw new ForgetRequestError(`${what} stopped (${(result as { status: string; message?: string }).message ?? (result as { status: string }).status}); nothing was deleted.`, 'The new dataset version and the runs made so far are kept; start Forget again to finish.');
      }
    });
  }

  /** The whole erasure: new version → exact retrain → gradient ascent → measurements → journaled deletion and scan. */
  async forget(): Promise<void> {
    const selection = this.selection;
    const lineage = this.lineage;
    const criteria = this.criteria;
    if (!selection || !lineage || !criteria) return;
    this.error = null;
    try {
      const lineageRuns = lineage.filter((a) => a.kind !== 'dataset' && a.kind !== 'hub-cache' && a.kind !== 'distill-draft');
      const held = await heldRunIds();
      const training = lineageRuns.find((a) => held.has(a.id));
      if (training) {
        throw new ForgetRequestError(`“${training.name}” is training on these records right now, so they cannot be forgotten yet.`, 'Stop it on the Train page first (Pause or Cancel), then press Forget again.');
      }
      const parent = await this.record();
      const source = this.retrainRunId ? await loadRun(this.retrainRunId) : null;
      if (this.retrainRunId && !source) throw new ForgetRequestError('The run to retrain was deleted.', 'Find the records again.');
      const removedRowIds = selection.rowIds;

      this.phase = 'writing';
      this.progress = 'Writing the dataset without the records…';
      this.job = startJob((api, id) => api.datasetWithout(id, parent.id, removedRowIds));
      const without = (await this.job.result) as { record: DatasetRecord; forgotten: string[]; alsoKept: number };
      const now = Date.now();
      const unlearning = (method: 'exact-retrain' | 'gradient-ascent', of: RunRecord) => ({ method, ofRunId: of.id, ofRunName: of.name, removedRowIds, parentDatasetId: parent.id, parentSha256: parent.sha256 });
      const fresh = { createdAt: now, updatedAt: now, status: 'queued' as const, step: 0, lastCheckpointStep: null, metrics: [] };

      let retrain: RunRecord | null = null;
      let ascent: RunRecord | null = null;
      if (source) {
        this.phase = 'retraining';
        const { regression: _r, message: _m, ...settings } = source;
        retrain = { ...settings, ...fresh, id: crypto.randomUUID(), name: `${source.name} · retrained without ${removedRowIds.length} forgotten record${removedRowIds.length === 1 ? '' : 's'}`, datasetId: without.record.id, datasetName: without.record.name, unlearning: unlearning('exact-retrain', source) };
        await this.train(retrain, 'Exact retrain (same settings and seed, from the base)');
        if (this.gradientAscent && source.hyper.method === 'lora') {
          this.phase = 'ascending';
          const steps = Math.max(1, Math.round(this.ascentSteps));
          const hyper = { ...source.hyper, steps, warmupSteps: 0, schedule: 'constant' as const, checkpointEvery: steps, evalEvery: steps, probeItems: 0, gradientAscent: true };
          ascent = { ...settings, ...fresh, id: crypto.randomUUID(), name: `${source.name} · gradient ascent on ${removedRowIds.length} forgotten record${removedRowIds.length === 1 ? '' : 's'} (approximation)`, hyper, unlearning: unlearning('gradient-ascent', source) };
          await this.train(ascent, 'Gradient ascent (approximate unlearning)');
        }
      }

      let measures: ErasureMeasure[] = [];
      if (source) {
        this.phase = 'measuring';
        const canaries = (parent.canaries ?? []).filter((c) => removedRowIds.includes(c.id));
        const controls = canaries[0] ? controlCanaries(canaries[0], parent.canaries ?? [], source.model.kind === 'tiny-gpt2' ? source.vocab : null, ERASURE_CONTROLS) : [];
        const runs = [{ role: 'before' as const, runId: source.id }, ...(retrain ? [{ role: 'exact-retrain' as const, runId: retrain.id }] : []), ...(ascent ? [{ role: 'gradient-ascent' as const, runId: ascent.id }] : [])];
        const onProgress = Comlink.proxy((p: { run: number; runs: number; phase: string }) => {
          this.progress = `Measuring model ${p.run + 1} of ${p.runs}: ${p.phase === 'exposure' ? 'ranking every candidate secret' : 'membership attack'}…`;
        });
        this.progress = 'Measuring…';
        this.job = startJob((api, id) => api.erasureMeasure(id, { datasetId: parent.id, removedRowIds, canaries, controls, runs }, onProgress));
        measures = (await this.job.result) as ErasureMeasure[];
      }

      // Everything is measured: from here on the journal carries the deletion to its end, across reloads.
      this.phase = 'erasing';
      this.progress = 'Deleting…';
      const chosen = { has: (id: string) => this.deleteIds.includes(id) };
      const targets: ErasureTarget[] = [
        ...lineage.filter((a) => chosen.has(a.id)).map((a): ErasureTarget => ({ kind: a.kind === 'dataset' || a.kind === 'hub-cache' || a.kind === 'distill-draft' ? a.kind : 'run', id: a.id, name: a.name, done: false })),
        ...(ascent && this.deleteAscentRun ? [{ kind: 'run' as const, id: ascent.id, name: ascent.name, done: false }] : []),
      ];
      const id = crypto.randomUUID();
      const report: ErasureReport = {
        format: 'tunelab-erasure/1',
        id,
        createdAt: now,
        finishedAt: null,
        request: describeCriteria(criteria),
        criteria: criteria.kind,
        removedRows: selection.rows,
        removedRowIds,
        dataset: { name: parent.name, before: { id: parent.id, sha256: parent.sha256, rows: parent.stats.rows }, after: { id: without.record.id, sha256: without.record.sha256, rows: without.record.stats.rows } },
        lineage,
        measures,
        deleted: targets,
        kept: lineage.filter((a) => !chosen.has(a.id)).map((a) => ({ kind: a.kind, id: a.id, name: a.name })),
        scan: null,
        textsAlsoKept: without.alsoKept,
      };
      const journal: ErasureRecord = { id, createdAt: now, state: 'deleting', targets, report, forgotten: without.forgotten };
      await beginErasure(journal);
      await this.erasures.carry(id);
      this.selection = null;
      this.lineage = null;
      await this.afterChange(without.record.id);
    } catch (e) {
      this.error = toShownError(e);
      await this.erasures.refresh();
    } finally {
      this.job = null;
      this.phase = 'idle';
      this.progress = '';
    }
  }
}
