// Regression suites in IndexedDB: save one whole (validated before it is written), list them newest first, delete one.
import { openTuneLabDb } from './db';
import { guardQuota } from './quota';
import { validateAbilities } from '../engine/eval/regression-suite';
import { RegressionSuiteError } from '../engine/errors';
import type { RegressionSuiteSpec } from '../contract/regression-suite';

/** Writes the suite in one transaction after checking it, so a bad suite never reaches the store half-made. */
export async function saveRegressionSuite(suite: RegressionSuiteSpec): Promise<void> {
  if (suite.abilities.length === 0 && suite.builtins.length === 0) {
    throw new RegressionSuiteError('The suite has no abilities.', 'Choose a suite file, or tick at least one built-in check.');
  }
  validateAbilities(suite.abilities);
  const db = await openTuneLabDb();
  await guardQuota(`regression suite “${suite.name}”`, async () => {
    const tx = db.transaction('regressionSuites', 'readwrite');
    await Promise.all([tx.store.put(suite), tx.done]);
  });
}

export async function listRegressionSuites(): Promise<RegressionSuiteSpec[]> {
  const suites = await (await openTuneLabDb()).getAllFromIndex('regressionSuites', 'createdAt');
  return suites.reverse();
}

export async function deleteRegressionSuite(id: string): Promise<void> {
  await (await openTuneLabDb()).delete('regressionSuites', id);
}
