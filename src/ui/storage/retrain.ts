// Retrain an orphaned run on a newer version of its dataset: the Train page opens with the run's base and settings and that dataset chosen.
import type { RunRecord, TinyModelSpec } from '../../contract';
import type { AppState } from '../state/app.svelte';
import { TINY_MODELS } from '../state/models.svelte';
import { restoreHyperparameters } from '../state/training.svelte';

/**
 * The run's base as a choice the Train page can start from now, or null: a seed model or a Tiny World base (shipped, or
 * pretrained here and still stored) is picked as it is; a Hub/local model only while the worker holds the same weights.
 */
export function baseToRetrainOn(run: RunRecord, loaded: TinyModelSpec | null): TinyModelSpec | null {
  if (run.model.kind === 'tiny-gpt2') return TINY_MODELS.find((m) => m.name === run.model.name) ?? run.model;
  if (run.model.kind === 'tiny-world') return run.model;
  return loaded && loaded.weightsSha256 === run.model.weightsSha256 ? loaded : null;
}

/** Chooses `datasetId`, the run's base and its settings (seed included), and opens the Train page; the user presses Start. */
export function prefillRetrain(app: AppState, run: RunRecord, datasetId: string): void {
  const base = baseToRetrainOn(run, app.model.loaded);
  if (!base) return;
  app.datasets.select(datasetId);
  app.model.spec = base;
  // Older runs lack settings added since: today's defaults fill them in, as for the remembered settings.
  app.training.hyper = restoreHyperparameters(structuredClone(run.hyper)) ?? structuredClone(run.hyper);
  app.training.select(null);
  app.nav.go('train');
}
