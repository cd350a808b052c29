// Regression suites on the page: the stored list, the one chosen for the next Train run, and building one from a file or built-ins.
import type { RegressionBuiltin, RegressionSuiteSpec } from '../../contract';
import { parseRegressionSuite } from '../../engine/eval/regression-suite';
import { RegressionSuiteError } from '../../engine/errors';
import { deleteRegressionSuite, listRegressionSuites, saveRegressionSuite } from '../../storage/regression-suites';
import { readChoice, saveChoice } from './persisted.svelte';

const CHOSEN_KEY = 'tunelab.regressionSuite';

export interface SuiteDraft {
  name: string;
  file: File | null;
  builtins: RegressionBuiltin[];
  builtinItems: number;
}

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

  /** Parses and validates everything first, then stores the suite in one write: a bad file leaves nothing behind. */
  async build(draft: SuiteDraft): Promise<RegressionSuiteSpec> {
    const name = draft.name.trim() || draft.file?.name.replace(/\.(jsonl|json|txt)$/i, '') || 'Built-in checks';
    if (!draft.file && draft.builtins.length === 0) throw new RegressionSuiteError('The suite has nothing to check yet.', 'Choose a JSONL file of prompts with reference answers, or tick a built-in check.');
    if (draft.builtins.length && !(Number.isInteger(draft.builtinItems) && draft.builtinItems >= 10 && draft.builtinItems <= 200)) {
      throw new RegressionSuiteError(`Items per built-in check must be a whole number from 10 to 200 (it is ${draft.builtinItems}).`, 'Intervals need at least 10 items per ability.');
    }
    const text = draft.file ? await draft.file.text() : '';
    const abilities = draft.file ? parseRegressionSuite(text, name) : [];
    const rows = abilities.reduce((n, a) => n + a.items.length, 0);
    const parts = [...(draft.file ? [`${draft.file.name}, ${rows} rows`] : []), ...(draft.builtins.length ? [`${draft.builtins.length} built-in ${draft.builtins.length === 1 ? 'check' : 'checks'} × ${draft.builtinItems} items`] : [])];
    const suite: RegressionSuiteSpec = {
      id: crypto.randomUUID(),
      name,
      createdAt: Date.now(),
      source: parts.join('; '),
      abilities,
      builtins: draft.builtins,
      builtinItems: draft.builtinItems,
    };
    await saveRegressionSuite(suite);
    await this.load();
    this.choose(suite.id);
    return suite;
  }

  async remove(id: string): Promise<void> {
    await deleteRegressionSuite(id);
    if (this.chosenId === id) this.choose(null);
    await this.load();
  }
}

/** One list for the page (the Train page's picker and whoever else shows suites). */
export const regressionSuites = new RegressionSuitesState();
