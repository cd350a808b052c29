// Job: run an experiment's missing cells one by one (each a real train + eval run), storing each as a run record.
import type { ExperimentJobResult, ExperimentProgress } from '../../src/contract';
import { JobCancelledError } from '../../src/engine/errors';
import { expandCells, experimentId, experimentSuite, loadExperimentBase, runCell, type Cell, type ExperimentBase, type ExperimentSpec } from '../../src/engine/experiments/runner';
import { assertRunnableSpec } from '../../src/engine/experiments/spec-check';
import { checkExperimentSpec } from '../../src/engine/experiments/leaks';
import { provenanceOf, sameProvenance } from '../../src/engine/experiments/identity';
import { cellToRunRecord } from '../../src/storage/experiment-cell-record';
import { listExperimentCells, saveCellRun } from '../../src/storage/experiment-cells';
import { appUrl } from '../helpers/app-url';
import { assertCeilingContext } from '../../src/engine/experiments/ceiling/bases';

const bases = new Map<string, Promise<ExperimentBase>>();

/** Model folders are served next to the app (public/models → /models); the worker script sits one folder below the root. */
async function readModelFile(modelId: string, fileName: string): Promise<Uint8Array | null> {
  const response = await fetch(appUrl(`models/${modelId}/${fileName}`));
  // A static host may answer a missing file with the app's index.html; that is not the model file.
  if (!response.ok || (response.headers.get('content-type') ?? '').includes('text/html')) return null;
  return new Uint8Array(await response.arrayBuffer());
}

function baseOf(id: string): Promise<ExperimentBase> {
  let base = bases.get(id);
  if (!base) {
    base = loadExperimentBase(id, readModelFile);
    base.catch(() => bases.delete(id));
    bases.set(id, base);
  }
  return base;
}

export async function experimentJob(spec: ExperimentSpec, signal: AbortSignal, report: (p: ExperimentProgress, force?: boolean) => void): Promise<ExperimentJobResult> {
  const started = performance.now();
  // The page blocks Run on these; a hand-made call or a stale page gets the same words instead of a trainer's.
  assertRunnableSpec(spec);
  // Bad input is refused before anything is loaded or trained.
  checkExperimentSpec(spec);
  // The id holds the sha-256 of the weights actually loaded: cells measured on other weights or another eval are never reused.
  // A Capability ceiling sweep loads every base it names first (a missing one is refused before anything trains); each
  // cell trains its own base and is reused only where its stored base's sha-256 matches the one loaded now.
  const bases = new Map<string, ExperimentBase>();
  for (const b of spec.ceiling ? spec.ceiling.bases : [spec.base]) bases.set(b, await baseOf(b));
  if (spec.ceiling) {
    for (const [b, loaded] of bases) {
      const config = loaded.config as { n_positions?: number; max_position_embeddings?: number };
      assertCeilingContext(b, config.n_positions ?? config.max_position_embeddings ?? 0);
    }
  }
  const baseOfCell = (cell: Cell) => bases.get(cell.settings.base ?? spec.base)!;
  const base = bases.get(spec.ceiling ? spec.ceiling.bases[0] : spec.base)!;
  const id = experimentId(spec, base.weightsSha256);
  const cells = expandCells(spec);
  const provenanceOfCell = (cell: Cell) => provenanceOf(baseOfCell(cell).id, baseOfCell(cell).weightsSha256);
  const listed = await listExperimentCells(id);
  const stored = new Set(cells.filter((cell) => listed.some((c) => c.cellKey === cell.key && sameProvenance(c.provenance, provenanceOfCell(cell)))).map((c) => c.key));
  const todo = cells.filter((c) => !stored.has(c.key));
  let done = cells.length - todo.length;
  const seconds = () => (performance.now() - started) / 1000;
  report({ experimentId: id, cellsDone: done, cellCount: cells.length, cellKey: null, step: 0, steps: 0, loss: null }, true);
  if (todo.length === 0) return { status: 'completed', ran: 0, reused: done, seconds: seconds() };
  const suite = experimentSuite(spec);
  let ran = 0;
  try {
    for (const cell of todo) {
      const result = await runCell(baseOfCell(cell), cell, {
        ceiling: spec.ceiling,
        experimentId: id,
        suite,
        target: spec.target,
        evalEvery: spec.evalEvery,
        evalEarly: spec.evalEarly,
        leakage: spec.leakage,
        distill: spec.distill,
        judgeDrift: spec.judgeDrift,
        driftEvalItems: spec.evalItems,
        embeddingGap: spec.embeddingGap,
        embeddingGapTestQueries: spec.evalItems,
        matched: spec.matched,
        prompting: spec.prompting,
        signal,
        onStep: (step, loss, timing) => report({ experimentId: id, cellsDone: done, cellCount: cells.length, cellKey: cell.key, step, steps: cell.settings.steps, loss, timing }),
      });
      const record = cellToRunRecord(result, baseOfCell(cell));
      await saveCellRun(record);
      ran++;
      done++;
      report({ experimentId: id, cellsDone: done, cellCount: cells.length, cellKey: null, step: 0, steps: 0, loss: null, finished: { ...result, runId: record.id } }, true);
    }
  } catch (error) {
    if (error instanceof JobCancelledError || signal.aborted) return { status: 'cancelled', ran, reused: cells.length - todo.length, seconds: seconds() };
    throw error;
  }
  return { status: 'completed', ran, reused: cells.length - todo.length, seconds: seconds() };
}
