// Builds a regression suite from what the user gave (a JSONL file and/or built-ins): everything parsed and checked before anything is stored.
import type { RegressionBuiltin, RegressionSuiteSpec } from '../../contract';
import { MIN_ITEMS_PER_ABILITY } from '../../engine/eval/regression-suite';
import { parseRegressionSuite } from '../../engine/eval/regression-suite-parse';
import { RegressionSuiteError } from '../../engine/errors';

export interface SuiteDraft {
  name: string;
  file: File | null;
  builtins: RegressionBuiltin[];
  builtinItems: number;
}

/** The suite the draft describes; throws RegressionSuiteError (naming the line or ability) before anything is written. */
export async function suiteOfDraft(draft: SuiteDraft): Promise<RegressionSuiteSpec> {
  const name = draft.name.trim() || draft.file?.name.replace(/\.(jsonl|json|txt)$/i, '') || 'Built-in checks';
  if (!draft.file && draft.builtins.length === 0) throw new RegressionSuiteError('The suite has nothing to check yet.', 'Choose a JSONL file of prompts with reference answers, or tick a built-in check.');
  if (draft.builtins.length && !(Number.isInteger(draft.builtinItems) && draft.builtinItems >= MIN_ITEMS_PER_ABILITY && draft.builtinItems <= 200)) {
    throw new RegressionSuiteError(`Items per built-in check must be a whole number from ${MIN_ITEMS_PER_ABILITY} to 200 (it is ${draft.builtinItems}).`, `Intervals need at least ${MIN_ITEMS_PER_ABILITY} items per ability.`);
  }
  const abilities = draft.file ? parseRegressionSuite(await draft.file.text(), name) : [];
  const rows = abilities.reduce((n, a) => n + a.items.length, 0);
  const checks = draft.builtins.length;
  const parts = [...(draft.file ? [`${draft.file.name}, ${rows} rows`] : []), ...(checks ? [`${checks} built-in ${checks === 1 ? 'check' : 'checks'} × ${draft.builtinItems} items`] : [])];
  return { id: crypto.randomUUID(), name, createdAt: Date.now(), source: parts.join('; '), abilities, builtins: draft.builtins, builtinItems: draft.builtinItems };
}
