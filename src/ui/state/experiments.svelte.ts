// The Experiments page's state: the sweep spec and the fields' text (mirrored in the URL query), the quick check,
// stored cells, the running job and its time estimate, the stage view.
import * as Comlink from 'comlink';
import { expandCells, experimentId } from '../../engine/experiments/cells';
import { estimateSweep, type MeasuredCell, type SweepEstimate } from '../../engine/experiments/eta';
import { presetSpec, reducedSpec } from '../../engine/experiments/presets';
import type { ExperimentSpec, KnobName, PresetId, StoredCell } from '../../engine/experiments/types';
import { readQuery, specToQuery } from '../../engine/experiments/url-state';
import { NUMBER_RULES, parseCohortField, parseNumber, parseNumberList, scalarValue, setScalar, validateSpec, type FieldId, type FieldProblem, type Parsed, type ScalarField } from '../../engine/experiments/validate';
import { gpuWorker } from '../worker-client';
import { cohortSharesText } from '../../engine/experiments/cohorts/data';
import { baseWeightsSha256 } from '../../engine/experiments/base-sha';
import { basesProblem, parseBases } from '../../engine/experiments/ceiling/bases';
import { provenanceOf, sameProvenance } from '../../engine/experiments/identity';
import { listExperimentCells } from '../../storage/experiment-cells';
import { loadRun } from '../../storage/runs';
import type { RunRecord } from '../../contract';
import type { ExperimentJobResult, ExperimentProgress } from '../../contract';
import { startJob, type JobHandle } from '../job-client';
import { runs } from '../experiments/run-words';
import { withExperimentLock } from '../../storage/run-lock';
import { currentQuery, replaceQuery } from '../experiments/url';

/** A file of a shipped base (public/models → ./models next to the page); null when it is not there. */
async function readShippedModelFile(modelId: string, fileName: string): Promise<Uint8Array | null> {
  const response = await fetch(`./models/${modelId}/${fileName}`);
  // A static host may answer a missing file with the app's index.html; that is not the model file.
  if (!response.ok || (response.headers.get('content-type') ?? '').includes('text/html')) return null;
  return new Uint8Array(await response.arrayBuffer());
}

/** URL parameters of the stage view (not part of the spec). */
const STAGE_PARAMS = ['present', 'slide', 'run'];

type AxisField = 'axis1' | 'axis2';
const axisField = (index: number): AxisField => (index === 0 ? 'axis1' : 'axis2');

/** What the Prompting preset's shot-fit check depends on. */
function shotFitKey(spec: ExperimentSpec): string {
  return JSON.stringify([spec.base, spec.target, spec.seeds, spec.evalItems, spec.axes]);
}

function timed(cells: StoredCell[]): MeasuredCell[] {
  return cells.flatMap((c) => (c.timing ? [{ settings: c.settings, timing: c.timing }] : []));
}

export class ExperimentState {
  /** The page's link as it opened (read per page, so a later visit reads the URL of then). */
  private readonly link = readQuery(currentQuery());
  /** The user's setup: every field's last valid value. */
  spec = $state<ExperimentSpec>(this.link.spec);
  /** What the user typed into a field (kept as typed; one that does not parse shows its message and stays in the link). */
  drafts = $state<Partial<Record<FieldId, string>>>(this.link.drafts);
  /** Parameters of the opening link that have no field and could not be used. */
  linkNotices = $state<string[]>(this.link.notices);
  /** Quick check: run and show a reduced copy of the setup; the setup itself and its stored runs stay as they are. */
  quick = $state(currentQuery().get('quick') === '1');
  /** The setup a preset click replaced, while it differs from the preset (one click brings it back). */
  replaced = $state.raw<{ spec: ExperimentSpec; drafts: Partial<Record<FieldId, string>> } | null>(null);
  /** Stored runs of the user's setup (the quick check's banner says they are kept). */
  setupStored = $state(0);
  /** Finished cells of the shown spec, read from storage (each is a stored run). */
  cells = $state.raw<StoredCell[]>([]);
  /** Every timed cell of the shown spec's model and eval set (other sweeps' too): the time estimate's measurements. */
  measured = $state.raw<MeasuredCell[]>([]);
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
  /**
   * The Prompting preset's shots against the base's context, as the worker last checked them (it generates each seed's
   * pool, code the page's first view does without); Run waits for the check of the spec as it is.
   */
  private shotFit = $state.raw<{ key: string; problems: FieldProblem[] }>({ key: '', problems: [] });

  /** The spec that runs and is shown: the setup, or its reduced copy during a quick check. */
  readonly runSpec = $derived(this.quick ? reducedSpec(this.spec) : this.spec);
  /** The stored experiment's id; null until the base's weights are hashed (the id holds their sha-256). */
  readonly id = $derived(this.weightsSha?.base === this.runSpec.base ? experimentId(this.runSpec, this.weightsSha.sha) : null);
  readonly plannedCells = $derived(expandCells(this.runSpec));
  /** Runs the user's setup has (the quick check runs fewer). */
  readonly setupCount = $derived(expandCells(this.spec).length);
  /** Runs of the shown spec still to train. */
  readonly todo = $derived(this.plannedCells.filter((c) => !this.cells.some((s) => s.cellKey === c.key)));
  /** Field → what is wrong with it, in the form's words. */
  readonly errors = $derived(this.fieldErrors());
  /** Run is blocked while the spec that would run has a problem. */
  readonly blocked = $derived(
    this.quick ? validateSpec(this.runSpec).length > 0 : Object.keys(this.errors).length > 0 || (!!this.spec.prompting && this.shotFit.key !== shotFitKey(this.spec)),
  );
  /** Time left (while running) or needed (before), from runs timed on this device; null before anything was timed. */
  readonly estimate = $derived(this.estimateNow());

  async start(): Promise<void> {
    void this.checkShotFit();
    await this.refresh();
    const runId = currentQuery().get('run');
    if (runId) await this.showRun(runId);
  }

  /** Cells of the shown spec that are already stored (resume after a reload skips them). */
  async refresh(): Promise<void> {
    const base = this.runSpec.base;
    let sha: string;
    try {
      sha = await this.shaOf(base);
    } catch (error) {
      this.cells = [];
      this.error = error as Error;
      return;
    }
    if (this.runSpec.base !== base) return; // the spec changed meanwhile; that change refreshes again
    // A Capability ceiling sweep's cells are each of their own base: every base is hashed, each cell matched to its own.
    let baseShas: Record<string, string>;
    try {
      // The setup's bases too: during a quick check the setup's stored runs are counted as well.
      const all = [base, ...(this.runSpec.ceiling?.bases ?? []), ...(this.quick ? (this.spec.ceiling?.bases ?? []) : [])].filter((b, i, list) => list.indexOf(b) === i);
      baseShas = Object.fromEntries(await Promise.all(all.map(async (b): Promise<[string, string]> => [b, await this.shaOf(b)])));
    } catch (error) {
      this.cells = [];
      this.error = error as Error;
      return;
    }
    if (this.runSpec.base !== base) return;
    this.weightsSha = { base, sha };
    const sameWeights = (c: StoredCell) => {
      const b = c.settings.base ?? base;
      const s = baseShas[b];
      return s !== undefined && sameProvenance(c.provenance, provenanceOf(b, s));
    };
    const id = experimentId(this.runSpec, sha);
    const keys = this.plannedCells.map((c) => c.key);
    const stored = (await listExperimentCells(id)).filter(sameWeights);
    let setupStored = stored.filter((c) => keys.includes(c.cellKey)).length;
    if (this.quick) {
      const setupKeys = expandCells(this.spec).map((c) => c.key);
      setupStored = (await listExperimentCells(experimentId(this.spec, sha))).filter((c) => sameWeights(c) && setupKeys.includes(c.cellKey)).length;
    }
    if (id !== this.id) return; // the spec changed meanwhile; that change refreshes again
    this.cells = stored.filter((c) => keys.includes(c.cellKey));
    this.measured = timed(stored);
    this.setupStored = setupStored;
  }

  private fieldErrors(): Partial<Record<FieldId, string>> {
    const errors: Partial<Record<FieldId, string>> = {};
    const fit = this.shotFit.key === shotFitKey(this.spec) ? this.shotFit.problems : [];
    for (const problem of [...validateSpec(this.spec), ...fit]) errors[problem.field] ??= problem.message;
    for (const [field, text] of Object.entries(this.drafts) as [FieldId, string][]) {
      const parsed = this.parse(field, text);
      if (!parsed.ok) errors[field] = parsed.message;
    }
    return errors;
  }

  private parse(field: FieldId, text: string): Parsed<number | number[]> {
    if (field === 'axis1' || field === 'axis2') {
      const axis = this.spec.axes[field === 'axis1' ? 0 : 1];
      return axis ? parseNumberList(text, NUMBER_RULES[axis.knob]) : { ok: true, value: [] };
    }
    if (field === 'extra') return { ok: true, value: [] };
    if (field === 'bases') {
      const problem = basesProblem(parseBases(text));
      return problem ? { ok: false, message: problem } : { ok: true, value: [] };
    }
    if (field === 'cohorts') {
      const parsed = parseCohortField(text);
      return parsed.ok ? { ok: true, value: [] } : parsed;
    }
    return parseNumber(text, NUMBER_RULES[field]);
  }

  private estimateNow(): SweepEstimate | null {
    const p = this.progress;
    const current = this.running && p?.cellKey && p.timing ? this.plannedCells.find((c) => c.key === p.cellKey) : undefined;
    return estimateSweep({
      todo: this.todo.filter((c) => c.key !== current?.key).map((c) => ({ settings: c.settings })),
      evalEvery: this.runSpec.evalEvery,
      measured: this.measured,
      current: current && p?.timing ? { settings: current.settings, timing: p.timing } : undefined,
    });
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
    const invalid = Object.fromEntries(Object.entries(this.drafts).filter(([field]) => this.errors[field as FieldId] !== undefined));
    const query = specToQuery($state.snapshot(this.spec) as ExperimentSpec, invalid);
    if (this.quick) query.set('quick', '1');
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
    // Once the preset is edited, "back to the previous setup" would throw those edits away: offer it no more.
    const edited = Object.keys(this.drafts).length > 0 || JSON.stringify($state.snapshot(this.spec)) !== JSON.stringify(presetSpec(this.spec.preset));
    if (this.replaced && edited) this.replaced = null;
    this.writeUrl();
    this.message = null;
    void this.checkShotFit();
    void this.refresh();
  }

  private async checkShotFit(): Promise<void> {
    const spec = $state.snapshot(this.spec) as ExperimentSpec;
    const key = shotFitKey(spec);
    if (!spec.prompting || key === this.shotFit.key) return;
    // A check that fails says nothing here: the job runs the same check and refuses the spec in its words.
    const problems = await gpuWorker()
      .shotFitProblems(spec)
      .catch(() => []);
    if (shotFitKey(this.spec) === key) this.shotFit = { key, problems };
  }

  choosePreset(id: PresetId): void {
    const before = { spec: $state.snapshot(this.spec) as ExperimentSpec, drafts: { ...this.drafts } };
    const next = presetSpec(id);
    const same = JSON.stringify(before.spec) === JSON.stringify(next) && Object.keys(before.drafts).length === 0;
    this.replaced = same ? null : before;
    this.spec = next;
    this.drafts = {};
    this.quick = false;
    this.slide = 0;
    this.changed();
  }

  /** Undoes a preset click: the setup (and what its fields held) as it was. */
  restoreReplaced(): void {
    if (!this.replaced) return;
    this.spec = this.replaced.spec;
    this.drafts = this.replaced.drafts;
    this.replaced = null;
    this.changed();
  }

  /** Runs a reduced copy of the setup at once (seconds); the setup and its stored runs stay, one click away. */
  async startQuickCheck(): Promise<void> {
    this.quick = true;
    this.changed();
    await this.refresh();
    if (this.todo.length === 0) this.message = `All ${runs(this.plannedCells.length)} of the quick check are stored — showing their results.`;
    else this.run();
  }

  /** Back to the user's setup and its stored results. */
  leaveQuickCheck(): void {
    this.quick = false;
    this.changed();
  }

  /** The text a field shows: what the user typed, else the setup's value. */
  fieldText(field: ScalarField | AxisField): string {
    const draft = this.drafts[field];
    if (draft !== undefined) return draft;
    if (field === 'axis1' || field === 'axis2') return this.spec.axes[field === 'axis1' ? 0 : 1]?.values.join(', ') ?? '';
    return String(scalarValue(this.spec, field));
  }

  /** A typed value: kept as typed; applied to the setup when it parses, else its field shows why. */
  setField(field: ScalarField, text: string): void {
    this.drafts[field] = text;
    const parsed = parseNumber(text, NUMBER_RULES[field]);
    if (parsed.ok) setScalar(this.spec, field, parsed.value);
    this.changed();
  }

  /** The cohort shares' text ("us 0.95, caps 0.05"): applied when it parses and the shares are usable, else its field says why. */
  cohortsText(): string {
    return this.drafts.cohorts ?? cohortSharesText(this.spec.fixed.cohorts ?? {});
  }

  setCohorts(text: string): void {
    this.drafts.cohorts = text;
    const parsed = parseCohortField(text);
    if (parsed.ok) this.spec.fixed.cohorts = parsed.value;
    this.changed();
  }

  /** The Capability ceiling's bases ("a, b, c"): applied when every base is installed and named once, else its field says why. */
  basesText(): string {
    return this.drafts.bases ?? (this.spec.ceiling?.bases ?? []).join(', ');
  }

  setBases(text: string): void {
    this.drafts.bases = text;
    const bases = parseBases(text);
    if (this.spec.ceiling && basesProblem(bases) === null) this.spec.ceiling = { ...this.spec.ceiling, bases };
    this.changed();
  }

  setAddedKind(kind: 'noisy' | 'narrow'): void {
    this.spec.fixed.addedKind = kind;
    this.changed();
  }

  /** An axis's comma list, parsed with its setting's rule. */
  setAxisValues(index: number, text: string): void {
    const field = axisField(index);
    this.drafts[field] = text;
    const axis = this.spec.axes[index];
    const parsed = parseNumberList(text, NUMBER_RULES[axis.knob]);
    if (parsed.ok) axis.values = parsed.value;
    this.changed();
  }

  /**
   * Picks the setting an axis varies; '' removes a second axis. The typed values stay and are checked against the
   * new setting; a new axis starts at the setting's current value.
   */
  setAxisKnob(index: number, knob: KnobName | ''): void {
    const field = axisField(index);
    if (knob === '') {
      this.spec.axes = this.spec.axes.slice(0, index);
      delete this.drafts[field];
    } else if (this.spec.axes[index]) {
      const parsed = parseNumberList(this.fieldText(field), NUMBER_RULES[knob]);
      this.spec.axes[index] = { knob, values: parsed.ok ? parsed.value : [this.spec.fixed[knob] ?? 0] };
      if (!parsed.ok) this.drafts[field] = this.fieldText(field);
    } else {
      this.spec.axes[index] = { knob, values: [this.spec.fixed[knob] ?? 0] };
    }
    this.changed();
  }

  /** Adds the preset's mitigation as a second axis (25% replay of the base's old skills). */
  addReplayAxis(): void {
    this.spec.axes[1] = { knob: 'replay', values: [0, 0.25] };
    delete this.drafts.axis2;
    this.changed();
  }

  run(): void {
    const id = this.id;
    if (this.running || this.blocked || id === null) return; // id: null until the base's weights are hashed
    this.running = true;
    this.error = null;
    this.message = null;
    const onProgress = Comlink.proxy((p: ExperimentProgress) => {
      this.progress = p;
      if (p.finished && p.experimentId === this.id) {
        this.cells = [...this.cells.filter((c) => c.cellKey !== p.finished!.cellKey), p.finished];
        this.measured = [...this.measured, ...timed([p.finished])];
      }
    });
    const spec = $state.snapshot(this.runSpec) as ExperimentSpec;
    // One tab at a time runs a sweep: a second would train the same missing cells beside it.
    withExperimentLock(id, () => {
      this.job = startJob((api, jobId) => api.experiment(jobId, spec, onProgress));
      return this.job.result;
    })
      .then((r) => {
        this.message = r.status === 'cancelled'
          ? `Cancelled: ${runs(r.ran)} finished and ${r.ran === 1 ? 'is' : 'are'} kept; Run continues with the rest.`
          : `Done: ${runs(r.ran)} trained and evaluated in ${r.seconds.toFixed(0)} s${r.reused ? `, ${r.reused} already stored` : ''}.`;
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
