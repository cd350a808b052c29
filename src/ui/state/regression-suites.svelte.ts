// Regression suites on the page: the stored list and the one chosen for the next Train run (building one: ./regression-suite-draft).
import type { RegressionSuiteSpec } from '../../contract';
import { deleteRegressionSuite, listRegressionSuites, saveRegressionSuite } from '../../storage/regression-suites';
import { readChoice, saveChoice } from './persisted.svelte';

const CHOSEN_KEY = 'tunelab.regressionSuite';

export class RegressionSuitesState {
  suites = $state.raw<RegressionSuiteSpec[]>([]);
  /** The suite the next run is scored on (null = none). */
  chosenId = $state<string | null>(readChoice(CHOSEN_KEY, null, (s) => (typeof s === 'string' ? s : null)));
  chosen = $derived(this.suites.find((s) => s.id === this.chosenId) ?? null);
  loaded = false;

  async load(): Promise<void> {
    this.suites = await listRegressionSuites();
    this.loaded = true;
  }

  /** The suite a run on this base is scored on: none for a seed-initialised base (the picker hides the choice there). */
  chosenFor(modelKind: string): RegressionSuiteSpec | null {
    return modelKind === 'tiny-gpt2' ? null : this.chosen;
  }

  choose(id: string | null): void {
    this.chosenId = id;
    saveChoice(CHOSEN_KEY, id);
  }

  /** Stores a built suite (validated again before the one write) and chooses it for the next run. */
  async add(suite: RegressionSuiteSpec): Promise<void> {
    await saveRegressionSuite(suite);
    await this.load();
    this.choose(suite.id);
  }

  async remove(id: string): Promise<void> {
    await deleteRegressionSuite(id);
    if (this.chosenId === id) this.choose(null);
    await this.load();
  }
}

/** One list for the page (the Train page's picker and whoever else shows suites). */
export const regressionSuites = new RegressionSuitesState();
