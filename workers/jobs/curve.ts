// Job: a learning curve on the user's dataset and model — each missing cell (a share of the training split's distinct
// examples × a seed) is a real fine-tune with the Train page's settings, scored item by item on the held-out rows.
import type { CurveJobInput, ExperimentJobResult, ExperimentProgress } from '../../src/contract';
import { currentBackend } from '../../src/engine/backend/init';
import { fitToContext } from '../../src/engine/data/long-rows';
import type { TokenizedExample } from '../../src/engine/data/example';
import { ExperimentSpecError, JobCancelledError } from '../../src/engine/errors';
import { curveCellSettings, curveScores, type CurveCellData } from '../../src/engine/experiments/curve/cell';
import { cellHyper, curveId, expandCurveCells, MAX_HELD_OUT, seedModelKey } from '../../src/engine/experiments/curve/spec';
import { distinctIds, nestedSubsets } from '../../src/engine/experiments/curve/subsets';
import { armExamples, expandSliceCells, NearDuplicateFlagger, rowHasPii, rowInSlice, sliceName, type CurveSlice, type SliceArm } from '../../src/engine/experiments/curve/slice';
import { assertValidCurve, hasReference, scoresExact } from '../../src/engine/experiments/curve/validate';
import type { CellResult } from '../../src/engine/experiments/types';
import { assertGpuFit } from '../../src/engine/hub/memory-fit';
import { trainOptionsOf } from '../../src/engine/train/settings';
import { datasetRowChunks, loadDataset } from '../../src/storage/datasets';
import { curveCellToRunRecord } from '../../src/storage/curve-cell-record';
import { listExperimentCells, saveCellRun } from '../../src/storage/experiment-cells';
import { runBaseOf, shippedBase, type RunBase } from '../helpers/base-model';
import { loadEngine } from '../helpers/load-engine';
import { runCurveCell } from '../helpers/curve-cell';
import { scoreRegression, scoreRegressionOnBase, withAfter } from '../helpers/regression-suite';
import type { CurveCellRegression } from '../../src/engine/experiments/curve/regression';
import { modelDims } from '../../src/engine/models/dims';
import type { RegressionScores, RunRegression } from '../../src/contract';
import { stopReason } from '../job-queue';

/** The curve's data: every training example by its row's content id (copies of a row share it), and the held-out rows. */
export interface CurveData {
  train: Map<string, TokenizedExample[]>;
  /** Every training row in stored order with its examples, cohort and tags (the data-quality sweep's arms). */
  rows: { id: string; cohort?: string; tags?: string[]; pii?: boolean; nearDuplicate?: boolean; examples: TokenizedExample[] }[];
  heldOut: TokenizedExample[];
  heldOutRows: number;
  heldOutWithReference: number;
}

export async function curveData(input: Pick<CurveJobInput, 'datasetId' | 'spec'>, base: RunBase): Promise<CurveData> {
  const dataset = await loadDataset(input.datasetId);
  if (!dataset) throw new ExperimentSpecError('The dataset of this learning curve is not stored in this browser.', 'Import it on the Data page, then run the curve again.');
  if (dataset.sha256 !== input.spec.datasetSha256) {
    throw new ExperimentSpecError(`The dataset “${dataset.name}” is not the data this curve was set up for (its content hash differs).`, 'Pick the dataset again on the Experiments page.');
  }
  const policy = input.spec.hyper.longRows ?? 'truncate';
  const data: CurveData = { train: new Map(), rows: [], heldOut: [], heldOutRows: 0, heldOutWithReference: 0 };
  // Near-duplicates are flagged over every training row (as the page counts them), after all are read.
  const near = input.spec.slice?.kind === 'near-duplicates' ? new NearDuplicateFlagger() : null;
  const trainRows: (CurveData['rows'][number] | null)[] = [];
  for await (const rows of datasetRowChunks(dataset)) {
    for (const row of rows) {
      if (row.split === 'train') {
        const example = base.encode(row, policy === 'truncate' ? base.context : Infinity);
        const examples = fitToContext(example, base.context, policy);
        data.train.set(row.id, [...(data.train.get(row.id) ?? []), ...examples]);
        const kept = examples.length ? { id: row.id, cohort: row.cohort, tags: row.tags, ...(input.spec.slice?.kind === 'pii' && { pii: rowHasPii(row) }), examples } : null;
        if (kept) data.rows.push(kept);
        if (near) {
          near.add(row);
          trainRows.push(kept);
        }
      } else {
        data.heldOutRows++;
        if (hasReference(row)) data.heldOutWithReference++;
        if (data.heldOut.length < MAX_HELD_OUT) data.heldOut.push(base.encode(row));
      }
    }
  }
  if (near) {
    const flags = near.flags();
    trainRows.forEach((kept, i) => {
      if (kept) kept.nearDuplicate = flags[i];
    });
  }
  // Rows dropped as too long leave an id with no example: they are not part of the curve's data.
  for (const [id, list] of data.train) if (list.length === 0) data.train.delete(id);
  return data;
}

/** sha-256 of the base's weights (a seed model: its recipe), the same key the page computes for the curve's id. */
async function weightsKeyOf(input: CurveJobInput): Promise<string> {
  const model = input.model;
  if (model.kind === 'loaded') return model.weightsSha256 ?? '';
  if (model.kind === 'tiny-world') return (await shippedBase(model.baseId ?? 'tiny-world-800k')).identity.weightsSha256;
  return seedModelKey(model, input.vocab);
}

function subsetExamples(ids: string[], data: CurveData, fractions: number[], cell: { fraction: number; seed: number }): TokenizedExample[] {
  const subset = nestedSubsets(ids, fractions, cell.seed).get(cell.fraction)!;
  return ids.filter((rowId) => subset.has(rowId)).flatMap((rowId) => data.train.get(rowId)!);
}

/** A slice that holds no training row, or every one, leaves nothing to compare. */
function checkSlice(slice: CurveSlice, rows: { id: string; inSlice: boolean }[]): void {
  const count = slice.kind === 'duplicates' ? rows.length - new Set(rows.map((r) => r.id)).size : rows.filter((r) => r.inSlice).length;
  if (count === 0) throw new ExperimentSpecError(`No training row is in ${sliceName(slice)}, so with and without it are the same data.`, slice.kind === 'pii' ? 'The Data page\'s personal-data scan flags no training row: there is nothing to swap out.' : slice.kind === 'near-duplicates' ? 'No training row nearly repeats another (the Data page\'s near-duplicate scan): there is nothing to swap out.' : 'Pick a cohort or tag the dataset view lists for the training split.');
  if (slice.kind !== 'duplicates' && count === rows.length) throw new ExperimentSpecError(`Every training row is in ${sliceName(slice)}: without it nothing is left to train on.`, 'Pick a slice that is part of the data, not all of it.');
}

function checkStop(signal: AbortSignal): void {
  if (stopReason(signal)) throw new JobCancelledError('The learning curve was stopped.', 'Run it again: finished runs are kept and skipped.');
}

export async function curveJob(input: CurveJobInput, signal: AbortSignal, report: (p: ExperimentProgress, force?: boolean) => void): Promise<ExperimentJobResult & { paused?: boolean }> {
  const started = performance.now();
  const { spec } = input;
  const base = await runBaseOf({ model: input.model, vocab: input.vocab, hyper: spec.hyper });
  const data = await curveData(input, base);
  const facts = { distinctTrain: data.train.size, heldOut: data.heldOutRows, heldOutWithReference: data.heldOutWithReference };
  // Bad input is refused before anything trains (the page blocks Run on the same checks).
  assertValidCurve(spec, facts);
  const limits = currentBackend()?.limits;
  if (limits) assertGpuFit(base.setup.config, limits, trainOptionsOf(spec.hyper, base.context));
  const exact = scoresExact(spec.match, facts);
  const weightsKey = await weightsKeyOf(input);
  const suite = input.regressionSuite;
  const id = curveId(spec, weightsKey, suite?.id);
  const slice = spec.slice;
  const sliceRows = slice ? data.rows.map((r) => ({ ...r, inSlice: rowInSlice(r, slice) })) : [];
  if (slice) checkSlice(slice, sliceRows);
  const cells: { key: string; fraction: number; seed: number; arm?: SliceArm }[] = slice ? expandSliceCells(slice, spec.seeds).map((c) => ({ ...c, fraction: 1 })) : expandCurveCells(spec);
  const stored = new Set((await listExperimentCells(id)).map((c) => c.cellKey));
  const todo = cells.filter((c) => !stored.has(c.key));
  let done = cells.length - todo.length;
  const seconds = () => (performance.now() - started) / 1000;
  report({ experimentId: id, cellsDone: done, cellCount: cells.length, cellKey: null, step: 0, steps: 0, loss: null }, true);
  const ids = distinctIds(data.train.keys());
  const engine = await loadEngine();
  let ran = 0;
  const datasetName = (await loadDataset(input.datasetId))?.name ?? 'your data';
  try {
    // The suite on the base once: every cell starts from the same weights. A suite this base cannot score (a prompt past
    // its context, built-ins on a non-Tiny-World base) stops the sweep here, before anything trains.
    let before: RegressionScores | null = null;
    if (suite && todo.length) {
      before = await scoreRegressionOnBase(suite, base, input.model, signal);
    }
    for (const cell of todo) {
      checkStop(signal);
      const t0 = performance.now();
      // Row order, not subset order: the trainer's seeded batch order is the only shuffle.
      const train = cell.arm && slice ? armExamples(sliceRows, slice, cell.arm) : subsetExamples(ids, data, spec.fractions, cell);
      const subset = new Set(train.map((e) => e.id));
      const hyper = cellHyper(spec, cell.seed);
      let runRegression: RunRegression | undefined;
      let cellRegression: CurveCellRegression | undefined;
      const { losses, timing, heldOut } = await runCurveCell(engine, base.setup, hyper, train, data.heldOut, exact, {
        signal,
        checkStop: () => checkStop(signal),
        onStep: (step, loss, t) => report({ experimentId: id, cellsDone: done, cellCount: cells.length, cellKey: cell.key, step, steps: hyper.steps, loss, timing: t }),
        onTrained: async (model, step) => {
          if (!suite || !before) return;
          // Like the Train page: a fine-tune the suite cannot score keeps its own scores and says why.
          try {
            const after = await scoreRegression(suite, { model, tokenizer: base.tokenizer, maxPositions: modelDims(base.setup.config).maxPositions, modelSpec: input.model }, step, signal);
            runRegression = withAfter({ suite, before }, after);
            cellRegression = { suiteId: suite.id, suiteName: suite.name, comparison: runRegression.comparison };
          } catch (error) {
            if (error instanceof JobCancelledError || signal.aborted) throw error;
            const message = `The regression suite could not be scored after training: ${(error as Error).message}`;
            runRegression = { suite, before, error: message };
            cellRegression = { suiteId: suite.id, suiteName: suite.name, error: message };
          }
        },
      });
      const ms = performance.now() - t0;
      const curve: CurveCellData = { fraction: cell.fraction, distinct: subset.size, rows: train.length, datasetSha256: spec.datasetSha256, weightsKey, heldOut, ...(cell.arm && { arm: cell.arm }), ...(cellRegression && { regression: cellRegression }) };
      const result: CellResult = {
        cellKey: cell.key,
        experimentId: id,
        settings: curveCellSettings(spec.hyper, subset.size),
        seed: cell.seed,
        evals: [{ step: hyper.steps, scores: curveScores(heldOut) }],
        losses,
        trainExamples: train.length,
        ms,
        timing,
        curve,
      };
      const record = { ...curveCellToRunRecord(result, { model: input.model, vocab: input.vocab, hyper, datasetName }), ...(runRegression && { regression: runRegression }) };
      await saveCellRun(record);
      ran++;
      done++;
      report({ experimentId: id, cellsDone: done, cellCount: cells.length, cellKey: null, step: 0, steps: 0, loss: null, finished: { ...result, runId: record.id } }, true);
    }
  } catch (error) {
    if (error instanceof JobCancelledError || signal.aborted) return { status: 'cancelled', ran, reused: cells.length - todo.length, seconds: seconds(), paused: stopReason(signal) === 'pause' };
    throw error;
  }
  return { status: 'completed', ran, reused: cells.length - todo.length, seconds: seconds() };
}
