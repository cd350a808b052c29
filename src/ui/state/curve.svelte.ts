// The "Your data" learning curve's state: the user's dataset (by content hash) and the model and settings the Train page
// would use, the shares, seeds and metric (mirrored in the URL), the checks before running, the stored cells, the time
// estimate, and the worker job with its progress, pause, resume and cancel.
import * as Comlink from 'comlink';
import { useApp } from './app.svelte';
import { regressionSuites } from './regression-suites.svelte';
import type { CurveJobInput, ExperimentJobResult, ExperimentProgress } from '../../contract';
import { curveItemsOf, sliceItemsOf } from '../../engine/experiments/curve/cell';
import { expandSliceCells, NearDuplicateFlagger, rowHasPii, rowInSlice, sliceNeedsValue, sliceEffects, sliceReading, type CurveSlice, type SliceEffect, type SliceKind } from '../../engine/experiments/curve/slice';
import { estimateCurve, type CurveCellItems, type CurveEstimate } from '../../engine/experiments/curve/estimate';
import { curveId, expandCurveCells, seedModelKey, type CurveMatch, type CurveSpec } from '../../engine/experiments/curve/spec';
import { curveFromQuery, curveToQuery } from '../../engine/experiments/curve/url-state';
import { hasReference, scoresExact, validateCurve, type CurveDataFacts, type CurveProblem } from '../../engine/experiments/curve/validate';
import { baseWeightsSha256 } from '../../engine/experiments/base-sha';
import { estimateSweep, type MeasuredCell, type SweepEstimate } from '../../engine/experiments/eta';
import type { StoredCell } from '../../engine/experiments/types';
import { vocabOfChars } from '../../engine/tokenizers/char-vocab';
import type { TrainHyperparameters } from '../../engine/train/settings';
import { datasetRowChunks } from '../../storage/datasets';
import { listExperimentCells } from '../../storage/experiment-cells';
import { isLocalModelId, loadLocalModelFile, type LocalModelFile } from '../../storage/local-models';
import { withExperimentLock } from '../../storage/run-lock';
import type { DatasetSummary, RunRecord, TinyModelSpec } from '../../contract';
import { startJob, type JobHandle } from '../job-client';
import { downloadBytes } from '../download';
import { runs } from '../experiments/run-words';
import { currentQuery, replaceQuery } from '../experiments/url';

/** A base's file: shipped (./models next to the page) or pretrained in this browser (IndexedDB). */
async function readModelFile(modelId: string, fileName: string): Promise<Uint8Array | null> {
  if (isLocalModelId(modelId)) {
    const bytes = await loadLocalModelFile(modelId, fileName as LocalModelFile);
    return bytes ? new Uint8Array(bytes) : null;
  }
  const response = await fetch(`./models/${modelId}/${fileName}`);
  if (!response.ok || (response.headers.get('content-type') ?? '').includes('text/html')) return null;
  return new Uint8Array(await response.arrayBuffer());
}

/** The curve's and the Train page's timed steps of this model, as the sweep estimate's measurements. */
function measuredOf(cells: StoredCell[], trainRuns: RunRecord[], model: TinyModelSpec): MeasuredCell[] {
  const fromCells = cells.flatMap((c) => (c.timing ? [{ settings: c.settings, timing: c.timing }] : []));
  const fromRuns = trainRuns
    .filter((r) => !r.experimentCell && r.model.kind === model.kind && r.model.name === model.name && (r.metrics.at(-1)?.step ?? 0) >= 5)
    .map((r) => {
      const last = r.metrics.at(-1)!;
      return { settings: { rank: r.hyper.method === 'full' ? 0 : r.hyper.lora.r, batchSize: r.hyper.batchSize }, timing: { steps: last.step, trainMs: last.elapsedMs, evalPoints: 0, evalMs: 0, otherMs: 0 } };
    });
  return [...fromCells, ...fromRuns];
}

export class CurveState {
  /** The app's shared state (datasets, model choice, Train page settings and runs); built during the page's set-up. */
  private readonly app = useApp();
  private readonly link = curveFromQuery(currentQuery());
  datasetSha = $state<string | null>(this.link.datasetSha256);
  fractionsText = $state(this.link.fractions.join(', '));
  seedsText = $state(String(this.link.seeds));
  match = $state<CurveMatch>(this.link.match);
  /** The run settings: the link's, else the Train page's at the time the page opened. */
  hyper = $state<TrainHyperparameters>(null as unknown as TrainHyperparameters);
  notices = $state<string[]>(this.link.notices);
  /** 'curve': how many examples; 'quality': is a slice of the data helping or hurting. */
  question = $state<'curve' | 'quality'>(this.link.slice ? 'quality' : 'curve');
  sliceKind = $state<SliceKind>(this.link.slice?.kind ?? 'duplicates');
  sliceValue = $state(this.link.slice?.value ?? '');
  /** Training rows in the chosen slice (counted from the rows; the duplicate copies beyond each first; near-duplicates beyond each group's first). */
  sliceRows = $state<number | null>(null);
  facts = $state.raw<CurveDataFacts | null>(null);
  weightsKey = $state<string | null>(null);
  cells = $state.raw<StoredCell[]>([]);
  progress = $state.raw<ExperimentProgress | null>(null);
  running = $state(false);
  stopping = $state<'pause' | 'cancel' | null>(null);
  message = $state<string | null>(null);
  error = $state<Error | null>(null);
  /** The run whose TRL bundle is being built. */
  exporting = $state<string | null>(null);
  private job: JobHandle<ExperimentJobResult & { paused?: boolean }> | null = null;

  constructor() {
    const app = this.app;
    this.hyper = this.link.hyper ?? ($state.snapshot(app.training.hyper) as TrainHyperparameters);
    this.datasetSha ??= app.datasets.current?.sha256 ?? null;
    const linked = this.link.model;
    const model = app.model.spec;
    if (linked && (linked.kind !== model.kind || (linked.baseId ?? '') !== (model.baseId ?? ''))) {
      this.notices = [...this.notices, `This link's curve fine-tunes ${linked.name}; the model chosen now is ${model.name}. Choose ${linked.name} on the Models page to see that curve's stored runs.`];
    }
  }

  readonly model = $derived(this.app.model.spec);
  /** A Hub/local model chosen before a reload that is not loaded again yet: nothing can train on it. */
  readonly modelMissing = $derived(this.app.model.pending !== null);
  readonly dataset = $derived<DatasetSummary | null>(this.app.datasets.list.find((d) => d.sha256 === this.datasetSha) ?? null);
  readonly fractions = $derived(this.fractionsText.split(',').map((s) => s.trim()).filter(Boolean).map(Number));
  readonly seeds = $derived(Number(this.seedsText.trim() || NaN));
  readonly problems = $derived<CurveProblem[]>(validateCurve({ fractions: this.fractions, seeds: this.seeds, match: this.match }, this.facts));
  readonly slice = $derived<CurveSlice | null>(this.question === 'quality' ? { kind: this.sliceKind, ...(sliceNeedsValue(this.sliceKind) && { value: this.sliceValue.trim() }) } : null);
  readonly spec = $derived<CurveSpec | null>(
    this.datasetSha
      ? { datasetSha256: this.datasetSha, fractions: [...this.fractions].sort((a, b) => a - b), seeds: this.seeds, match: this.match, hyper: $state.snapshot(this.hyper) as TrainHyperparameters, ...(this.slice && { slice: this.slice }) }
      : null,
  );
  /** The regression suite the Train page's picker (shown on this panel too) has chosen: scored on the base and every run. */
  readonly suite = $derived(regressionSuites.chosenFor(this.model.kind));
  readonly id = $derived(this.spec && this.weightsKey && this.problems.every((p) => p.field === 'data' || p.field === 'match') ? curveId(this.spec, this.weightsKey, this.suite?.id) : null);
  readonly planned = $derived<{ key: string }[]>(
    this.problems.some((p) => p.field === 'fractions' || p.field === 'seeds') ? [] : this.slice ? expandSliceCells(this.slice, this.seeds) : expandCurveCells({ fractions: this.fractions, seeds: this.seeds }),
  );
  /** The data-quality sweep's paired differences and reading. */
  readonly effects = $derived<SliceEffect[]>(this.slice ? sliceEffects(this.cells.map(sliceItemsOf).filter((c) => c !== null), { resamples: 1000 }) : []);
  readonly qualityReading = $derived(this.slice ? sliceReading(this.slice, this.effects, this.sliceRows ?? 0) : '');
  readonly todo = $derived(this.planned.filter((c) => !this.cells.some((s) => s.cellKey === c.key)));
  readonly exact = $derived(this.facts ? scoresExact(this.match, this.facts) : false);
  /** What is wrong with the slice (before anything runs). */
  readonly sliceProblem = $derived(this.sliceIssue());
  readonly blocked = $derived(!this.dataset || this.modelMissing || this.facts === null || this.problems.length > 0 || this.id === null || this.sliceProblem !== null || this.suiteUnusable);

  /** A suite with Tiny World built-in checks on another base: the picker says so, and nothing runs. */
  private get suiteUnusable(): boolean {
    return this.suite !== null && this.suite.builtins.length > 0 && this.model.kind !== 'tiny-world';
  }

  private sliceIssue(): string | null {
    if (!this.slice) return null;
    if (sliceNeedsValue(this.slice.kind) && !this.slice.value) return `Name the ${this.slice.kind} to swap out.`;
    if (this.sliceRows === 0 && this.slice.kind === 'near-duplicates') return 'No training row nearly repeats another (at least 80% of word pairs shared): with and without them would be the same data.';
    if (this.sliceRows === 0) return `No training row is in this slice: with and without it would be the same data.`;
    if (this.facts && this.slice.kind !== 'duplicates' && this.sliceRows !== null && this.sliceRows >= this.trainRows) return 'Every training row is in this slice: without it nothing is left to train on.';
    return null;
  }

  private trainRows = 0;
  readonly estimates = $derived<CurveEstimate[]>(this.estimateNow());
  readonly eta = $derived<SweepEstimate | null>(this.etaNow());
  /** The Train page's settings differ from the curve's (a button takes them). */
  readonly settingsDiffer = $derived(JSON.stringify($state.snapshot(this.app.training.hyper)) !== JSON.stringify($state.snapshot(this.hyper)));

  private estimateNow(): CurveEstimate[] {
    const items = this.cells.map(curveItemsOf).filter((c): c is CurveCellItems => c !== null);
    if (!items.length) return [];
    const out = [estimateCurve(items, 'loss', { resamples: 1000 })];
    if (items.every((c) => c.exact)) out.push(estimateCurve(items, 'error', { resamples: 1000 }));
    return out;
  }

  private etaNow(): SweepEstimate | null {
    const rank = this.hyper.method === 'full' ? 0 : this.hyper.lora.r;
    const settings = { rank, batchSize: this.hyper.batchSize, steps: this.hyper.steps };
    const p = this.progress;
    const current = this.running && p?.cellKey && p.timing ? { settings, timing: p.timing } : undefined;
    const todo = this.todo.filter((c) => c.key !== p?.cellKey).map(() => ({ settings }));
    return estimateSweep({ todo, evalEvery: 0, measured: measuredOf(this.cells, this.app.training.runs, this.model), current });
  }

  /** Reads what the checks need from the dataset's rows, hashes the model's weights, lists the stored cells. */
  async refresh(): Promise<void> {
    this.writeUrl();
    const dataset = this.dataset;
    const model = $state.snapshot(this.model) as TinyModelSpec;
    try {
      const counted = dataset ? await factsOf(dataset, this.slice) : null;
      this.facts = counted?.facts ?? null;
      this.sliceRows = counted?.sliceRows ?? null;
      this.trainRows = counted?.trainRows ?? 0;
      this.weightsKey = await this.weightsKeyOf(model, dataset);
    } catch (e) {
      this.error = e as Error;
      return;
    }
    const id = this.id;
    if (!id) return;
    const stored = await listExperimentCells(id);
    if (id === this.id) this.cells = stored.filter((c) => c.curve);
  }

  private async weightsKeyOf(model: TinyModelSpec, dataset: DatasetSummary | null): Promise<string | null> {
    if (model.kind === 'loaded') return model.weightsSha256 ?? null;
    if (model.kind === 'tiny-world') return baseWeightsSha256(model.baseId ?? 'tiny-world-800k', readModelFile);
    return dataset ? seedModelKey(model, vocabOfChars(dataset.chars)) : null;
  }

  private writeUrl(): void {
    const m = this.model;
    replaceQuery(curveToQuery({ slice: this.slice, datasetSha256: this.datasetSha, model: { kind: m.kind, baseId: m.baseId, name: m.name }, fractions: this.fractions, seeds: this.seeds, match: this.match, hyper: $state.snapshot(this.hyper) as TrainHyperparameters }));
  }

  chooseDataset(sha: string): void {
    this.datasetSha = sha;
    this.cells = [];
    void this.refresh();
  }

  changed(): void {
    this.message = null;
    this.cells = [];
    void this.refresh();
  }

  useTrainSettings(): void {
    this.hyper = $state.snapshot(this.app.training.hyper) as TrainHyperparameters;
    this.changed();
  }

  run(): void {
    const id = this.id;
    const spec = this.spec;
    const dataset = this.dataset;
    if (this.running || this.blocked || !id || !spec || !dataset) return;
    this.running = true;
    this.stopping = null;
    this.error = null;
    this.message = null;
    const model = $state.snapshot(this.model) as TinyModelSpec;
    const input: CurveJobInput = { spec, datasetId: dataset.id, model, vocab: model.kind === 'tiny-gpt2' ? vocabOfChars(dataset.chars) : [], ...(this.suite && { regressionSuite: $state.snapshot(this.suite) }) };
    const onProgress = Comlink.proxy((p: ExperimentProgress) => {
      this.progress = p;
      if (p.finished && p.experimentId === this.id) this.cells = [...this.cells.filter((c) => c.cellKey !== p.finished!.cellKey), p.finished];
    });
    withExperimentLock(id, () => {
      this.job = startJob((api, jobId) => api.curve(jobId, input, onProgress));
      return this.job.result;
    })
      .then((r) => {
        if (r.status === 'completed') this.message = `Done: ${runs(r.ran)} trained and scored in ${r.seconds.toFixed(0)} s${r.reused ? `, ${r.reused} already stored` : ''}.`;
        else if (r.paused) this.message = `Paused: ${runs(r.ran)} finished and kept; Resume continues with the rest.`;
        else this.message = `Cancelled: ${runs(r.ran)} finished and kept (the run in progress was dropped).`;
      })
      .catch((e: Error) => (this.error = e))
      .finally(() => {
        this.running = false;
        this.stopping = null;
        this.progress = null;
        this.job = null;
        void this.refresh();
      });
  }

  /** Downloads one cell as a TRL scale-out bundle: the subset it trained on, its settings, the script (built in the worker). */
  async exportCell(runId: string): Promise<void> {
    const dataset = this.dataset;
    if (!dataset || this.exporting) return;
    this.exporting = runId;
    this.error = null;
    try {
      const result = await startJob((api, jobId) => api.exportCurveCell(jobId, runId, dataset.id)).result;
      downloadBytes(result.zip as Uint8Array<ArrayBuffer>, result.fileName);
    } catch (e) {
      this.error = e as Error;
    } finally {
      this.exporting = null;
    }
  }

  async stop(reason: 'pause' | 'cancel'): Promise<void> {
    this.stopping = reason;
    await this.job?.stop(reason);
  }
}

/** Distinct training examples, held-out rows and those with a reference answer, and the slice's rows, read chunk by chunk. */
async function factsOf(dataset: DatasetSummary, slice: CurveSlice | null): Promise<{ facts: CurveDataFacts; sliceRows: number; trainRows: number }> {
  let sliceRows = 0;
  let trainRows = 0;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local count, never rendered
  const train = new Set<string>();
  let heldOut = 0;
  let heldOutWithReference = 0;
  // Near-duplicates need every training row before any is flagged: each is hashed as its chunk is read, flagged at the end.
  const near = slice?.kind === 'near-duplicates' ? new NearDuplicateFlagger() : null;
  for await (const rows of datasetRowChunks(dataset)) {
    for (const row of rows) {
      if (row.split === 'train') {
        trainRows++;
        if (near) near.add(row);
        else if (slice && (slice.kind === 'duplicates' ? train.has(row.id) : rowInSlice({ ...row, pii: slice.kind === 'pii' && rowHasPii(row) }, slice))) sliceRows++;
        train.add(row.id);
      }
      else {
        heldOut++;
        if (hasReference(row)) heldOutWithReference++;
      }
    }
  }
  if (near && slice) sliceRows = near.flags().filter((flagged) => rowInSlice({ nearDuplicate: flagged }, slice)).length;
  return { facts: { distinctTrain: train.size, heldOut, heldOutWithReference }, sliceRows, trainRows };
}
