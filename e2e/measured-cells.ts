// Stores a preset's measured default-size cells (scripts/experiments/results) as the Experiments page stores them, so a
// spec can show the real multi-seed charts and readings without training anything.
import { readFileSync } from 'node:fs';
import type { Page } from './fixtures';
import type { StoredCell } from '../src/engine/experiments/types';
import { cellToRunRecord } from '../src/storage/experiment-cell-record';

/** Reads the cells of `files` (one output, or the parts of one sweep), puts each in the runs store as the run record saveCellRun writes, and returns them. */
export async function storeMeasuredCells(page: Page, files: string | string[], names: { run: (cell: StoredCell) => string; base: (cell: StoredCell) => string }): Promise<StoredCell[]> {
  const cells = [files].flat().flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { cells: StoredCell[] }).cells);
  await page.evaluate(
    async (runs) => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const open = indexedDB.open('tunelab');
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      const tx = db.transaction('runs', 'readwrite');
      for (const run of runs) tx.objectStore('runs').put(run);
      await new Promise((ok, fail) => ((tx.oncomplete = ok), (tx.onerror = () => fail(tx.error))));
      db.close();
    },
    // The record the Experiments job saves (hyperparameters, losses, message), named for the spec and without a vocabulary.
    cells.map(({ runId, ...cell }) => ({
      ...cellToRunRecord(cell, { id: names.base({ runId, ...cell }), config: {} as never, tokenizer: { vocabSize: 0, decode: () => '' } as never }, 0),
      id: runId,
      name: names.run({ runId, ...cell }),
      message: 'Experiment cell (stored by the e2e spec from scripts/experiments/results).',
    })),
  );
  return cells;
}
