// The first screen's one-click demo: a small generalization-cliff sweep on the default base, timed on this device as it runs.
import * as Comlink from 'comlink';
import { cliffPreset, expandCells, reducedSpec, specToQuery, type ExperimentSpec } from '../../engine/experiments';
import type { ExperimentJobResult, ExperimentProgress } from '../../contract';
import { startJob, type JobHandle } from '../job-client';
import { toShownError, type ShownError } from '../errors-ui';
import { replaceQuery } from '../experiments/url';
import { readChoice, saveChoice } from './persisted.svelte';
import { LookTimer, type LookEstimate } from './look-timer';

/**
 * The cliff preset at first-demo size: one seed, full fine-tuning of the shipped Tiny World 800k base on ROUTE (the skill
 * it never saw), four skills it already has measured every few steps. Small enough to watch, large enough that the
 * target rises and the other skills fall (docs/results.md: forgetting comes within the first 25 steps).
 */
export function firstLookSpec(): ExperimentSpec {
  const cliff = cliffPreset();
  return {
    ...cliff,
    seeds: 1,
    fixed: { ...cliff.fixed, steps: 30, batchSize: 8, lr: 3e-3 },
    axes: [{ knob: 'rank', values: [0] }],
    evalEvery: 10,
    // No denser early evaluation: the demo's time estimate counts one measurement every evalEvery steps.
    evalEarly: { every: 0, until: 0 },
    evalItems: 10,
    adjacent: ['TICK', 'FACT', 'REV', 'UP'],
  };
}

/** The same flow in seconds on a tiny untrained model (shows the machinery, not the cliff): the Experiments page's quick check. */
export function quickLookSpec(): ExperimentSpec {
  return reducedSpec(firstLookSpec());
}

export type LookSize = 'first-look' | 'quick';

/** A duration a person reads at a glance: "45 s", "3 min 10 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
}

const LAST_KEY = 'tunelab.firstLook';

/** How long the demo took on this device the last time it ran here (measured, per experiment id). */
interface LastLook {
  /** The demo's setup as its link query (a changed demo does not reuse an old time). */
  setup: string;
  seconds: number;
}

export class FirstLookState {
  running = $state<LookSize | null>(null);
  progress = $state.raw<ExperimentProgress | null>(null);
  estimate = $state.raw<LookEstimate | null>(null);
  error = $state<ShownError | null>(null);
  message = $state<string | null>(null);
  last = $state.raw<LastLook | null>(readChoice<LastLook | null>(LAST_KEY, null));
  private job: JobHandle<ExperimentJobResult> | null = null;

  /** Seconds the first-look demo took here before, if it ran on this device. */
  get lastSeconds(): number | null {
    return this.last?.setup === specToQuery(firstLookSpec()).toString() ? this.last.seconds : null;
  }

  /** Runs the demo's missing runs in the worker; resolves true when every run finished (then the chart has its points). */
  async run(size: LookSize): Promise<boolean> {
    if (this.running) return false;
    const spec = size === 'quick' ? quickLookSpec() : firstLookSpec();
    const timer = new LookTimer({ cells: expandCells(spec).length, steps: spec.fixed.steps, evalEvery: spec.evalEvery }, performance.now());
    this.running = size;
    this.error = null;
    this.message = null;
    this.progress = null;
    this.estimate = null;
    const started = performance.now();
    const onProgress = Comlink.proxy((p: ExperimentProgress) => {
      this.progress = p;
      if (!p.cellKey) return;
      timer.report(p.cellsDone, p.step, performance.now());
      this.estimate = timer.estimate() ?? this.estimate;
    });
    this.job = startJob((api, id) => api.experiment(id, spec, onProgress));
    try {
      const result = await this.job.result;
      if (result.status === 'cancelled') {
        this.message = 'Cancelled. Finished runs are kept: the next try continues with the rest.';
        return false;
      }
      if (size === 'first-look' && result.ran > 0) {
        this.last = { setup: specToQuery(spec).toString(), seconds: (performance.now() - started) / 1000 };
        saveChoice(LAST_KEY, this.last);
      }
      // The Experiments page reads its setup from the URL: this one, with its stored runs, is the chart to end on.
      replaceQuery(specToQuery(spec));
      return true;
    } catch (e) {
      this.error = toShownError(e);
      return false;
    } finally {
      this.running = null;
      this.job = null;
      this.progress = null;
    }
  }

  async cancel(): Promise<void> {
    await this.job?.stop('cancel');
  }
}

/** One demo per page, kept while the user looks at other pages. */
export const firstLook = new FirstLookState();
