// The Experiments page's state: the sweep spec (mirrored in the URL query), stored cells, the running job, the stage view.
import * as Comlink from 'comlink';
import { expandCells, experimentId, presetSpec, specFromQuery, specToQuery, type CellSettings, type ExperimentSpec, type PresetId, type StoredCell, type SweepAxis } from '../../engine/experiments';
import { baseWeightsSha256 } from '../../engine/experiments/base';
import { provenanceOf, sameProvenance } from '../../engine/experiments/identity';
import { listExperimentCells } from '../../storage/experiment-cells';
import { loadRun } from '../../storage/runs';
import type { RunRecord } from '../../storage/types';
import type { ExperimentJobResult, ExperimentProgress } from '../../../workers/jobs/experiment';
import { startJob, type JobHandle } from '../job-client';
import { currentQuery, replaceQuery } from './url';

/** A file of a shipped base (public/models → ./models next to the page); null when it is not there. */
async function readShippedModelFile(modelId: string, fileName: string): Promise<Uint8Array | null> {
  const response = await fetch(`./models/${modelId}/${fileName}`);
  // A static host may answer a missing file with the app's index.html; that is not the model file.
  if (!response.ok || (response.headers.get('content-type') ?? '').includes('text/html')) return null;
  return new Uint8Array(await response.arrayBuffer());
}

/** URL parameters of the stage view (not part of the spec). */
const STAGE_PARAMS = ['present', 'slide', 'run'];

export class ExperimentState {
  spec = $state<ExperimentSpec>(specFromQuery(currentQuery()));
  /** Finished cells of this spec, read from storage (each is a stored run). */
  cells = $state.raw<StoredCell[]>([]);
  progress = $state.raw<ExperimentProgress | null>(null);
  running = $state(false);
  message = $state<string | null>(null);
  error = $state<Error | null>(null);
  presenting = $state(currentQuery().get('present') === '1');
  slide = $state(Number(currentQuery().get('slide') ?? 0) || 0);
  selectedRun = $state.raw<RunRecord | null>(null);
  private job: JobHandle<ExperimentJobResult> | null = null;
  /** sha-256 of each base's weights, by base id (the experiment id holds it: stored cells of other weights never show). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache of pending hashes, never rendered; weightsSha is the reactive part
  private readonly shas = new Map<string, Promise<string>>();
  private weightsSha = $state<{ base: string; sha: string } | null>(null);

  /** The stored experiment's id; null until the base's weights are hashed. */
  readonly id = $derived(this.weightsSha?.base === this.spec.base ? experimentId(this.spec, this.weightsSha.sha) : null);
  readonly plannedCells = $derived(expandCells(this.spec));

  async start(): Promise<void> {
    await this.refresh();
    const runId = currentQuery().get('run');
    if (runId) await this.showRun(runId);
  }

  /** Cells of the current spec that are already stored (resume after a reload skips them). */
  async refresh(): Promise<void> {
    const base = this.spec.base;
    let sha: string;
    try {
      sha = await this.shaOf(base);
    } catch (error) {
      this.cells = [];
      this.error = error as Error;
      return;
    }
    if (this.spec.base !== base) return;
    this.weightsSha = { base, sha };
    const keys = this.plannedCells.map((c) => c.key);
    const provenance = provenanceOf(base, sha);
    const stored = await listExperimentCells(experimentId(this.spec, sha));
    this.cells = stored.filter((c) => keys.includes(c.cellKey) && sameProvenance(c.provenance, provenance));
  }

  private shaOf(base: string): Promise<string> {
    let sha = this.shas.get(base);
    if (!sha) {
      sha = baseWeightsSha256(base, readShippedModelFile);
      sha.catch(() => this.shas.delete(base));
      this.shas.set(base, sha);
    }
    return sha;
  }

  private writeUrl(): void {
    const query = specToQuery($state.snapshot(this.spec) as ExperimentSpec);
    const current = currentQuery();
    for (const key of STAGE_PARAMS) {
      const value = current.get(key);
      if (value !== null) query.set(key, value);
    }
    if (this.presenting) query.set('present', '1');
    else query.delete('present');
    if (this.presenting && this.slide > 0) query.set('slide', String(this.slide));
    else query.delete('slide');
    replaceQuery(query);
  }

  private changed(): void {
    this.writeUrl();
    this.message = null;
    void this.refresh();
  }

  choosePreset(id: PresetId): void {
    this.spec = presetSpec(id);
    this.slide = 0;
    this.changed();
  }

  /** The reduced variant (seconds on a software GPU) of the current preset. */
  useSpec(spec: ExperimentSpec): void {
    this.spec = spec;
    this.changed();
  }

  setFixed<K extends keyof CellSettings>(key: K, value: CellSettings[K]): void {
    this.spec.fixed[key] = value;
    this.changed();
  }

  setSeeds(seeds: number): void {
    if (Number.isInteger(seeds) && seeds >= 1 && seeds <= 10) this.spec.seeds = seeds;
    this.changed();
  }

  setEval(key: 'evalEvery' | 'evalItems', value: number): void {
    if (Number.isInteger(value) && value >= (key === 'evalEvery' ? 0 : 1)) this.spec[key] = value;
    this.changed();
  }

  /** Sets an axis from "knob" and a comma list; an empty list removes a second axis. */
  setAxis(index: number, axis: SweepAxis | null): void {
    if (axis === null) this.spec.axes = this.spec.axes.slice(0, index);
    else this.spec.axes[index] = axis;
    this.changed();
  }

  run(): void {
    if (this.running) return;
    this.running = true;
    this.error = null;
    this.message = null;
    const onProgress = Comlink.proxy((p: ExperimentProgress) => {
      this.progress = p;
      if (p.finished && p.experimentId === this.id) this.cells = [...this.cells.filter((c) => c.cellKey !== p.finished!.cellKey), p.finished];
    });
    const spec = $state.snapshot(this.spec) as ExperimentSpec;
    this.job = startJob((api, jobId) => api.experiment(jobId, spec, onProgress));
    this.job.result
      .then((r) => {
        this.message = r.status === 'cancelled'
          ? `Cancelled: ${r.ran} cell(s) ran and are kept; Run continues with the rest.`
          : `Done: ${r.ran} cell(s) trained and evaluated in ${r.seconds.toFixed(0)} s, ${r.reused} reused from storage.`;
      })
      .catch((e: Error) => (this.error = e))
      .finally(() => {
        this.running = false;
        this.progress = null;
        this.job = null;
        void this.refresh();
      });
  }

  async cancel(): Promise<void> {
    await this.job?.stop('cancel');
  }

  async showRun(runId: string | null): Promise<void> {
    this.selectedRun = runId ? ((await loadRun(runId)) ?? null) : null;
    const query = currentQuery();
    if (runId && this.selectedRun) query.set('run', runId);
    else query.delete('run');
    replaceQuery(query);
  }

  setPresenting(on: boolean): void {
    this.presenting = on;
    this.writeUrl();
  }

  step(delta: number, slides: number): void {
    this.slide = Math.max(0, Math.min(slides - 1, this.slide + delta));
    this.writeUrl();
  }
}
