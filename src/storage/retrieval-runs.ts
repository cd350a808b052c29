// Retrieval page results as run records (the runs store): listed and deleted on the Retrieval page and the Storage page, scanned with every run.
import type { RetrievalRunInfo, RunRecord } from '../contract';
import { openTuneLabDb } from './db';
import { deleteRun, saveRun } from './runs';

export { deleteRun as deleteRetrievalRun };

/** "Retrieval · tiny-world-400k · LoRA r8, 40 steps · recall@1 0.33 → 0.57" (the base alone: "base only"). */
export function retrievalRunName(info: RetrievalRunInfo): string {
  const { hyper, result } = info;
  const r1 = (side: { scores: Record<string, { value: number }> } | null) => side?.scores['recall@1']?.value.toFixed(2) ?? '–';
  const how = result.tuned ? `${hyper.method === 'lora' ? `LoRA r${hyper.rank}` : 'full'}, ${result.steps} steps · recall@1 ${r1(result.base)} → ${r1(result.tuned)}` : `base only · recall@1 ${r1(result.base)}`;
  return `Retrieval · ${info.model} · ${how}`;
}

/**
 * The record a result is kept in. Its model and hyperparameters say what was trained in the fields every run has (the
 * model's sizes are not known on the page: 0); what the Retrieval page shows is all in `retrieval`.
 */
export function retrievalRunRecord(info: RetrievalRunInfo, id: string, now: number): RunRecord {
  const { hyper, result } = info;
  return {
    id,
    name: retrievalRunName(info),
    createdAt: now,
    updatedAt: now,
    datasetId: '',
    datasetName: info.source,
    model: { kind: info.modelKind === 'shipped' ? 'tiny-world' : 'loaded', baseId: info.model, name: info.model, n_embd: 0, n_layer: 0, n_head: 0, n_positions: 0, initSeed: 0 },
    vocab: [],
    hyper: {
      method: hyper.method,
      steps: hyper.steps,
      batchSize: hyper.batchSize,
      learningRate: hyper.learningRate,
      warmupSteps: 0,
      schedule: 'constant',
      weightDecay: 0,
      gradClip: 1,
      gradAccumulation: 1,
      lora: { r: hyper.rank, alpha: 2 * hyper.rank, dropout: 0, targetModules: [] },
      seed: hyper.seed,
      checkpointEvery: 0,
      evalEvery: hyper.evalEvery,
    },
    status: result.status,
    step: result.steps,
    lastCheckpointStep: null,
    metrics: result.curve.filter((p) => p.loss !== undefined).map((p) => ({ step: p.step, elapsedMs: 0, trainLoss: p.loss! })),
    message: `Retrieval: ${result.queries} test queries${result.droppedQueries ? ` (${result.droppedQueries} dropped: no relevant document)` : ''}, ${result.seconds.toFixed(0)} s.`,
    retrieval: info,
  };
}

/** Keeps a finished (or cancelled) result; returns its record. */
export async function saveRetrievalRun(info: RetrievalRunInfo, now = Date.now()): Promise<RunRecord> {
  const record = retrievalRunRecord(info, `retrieval-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`, now);
  await saveRun(record);
  return record;
}

/** Every stored Retrieval result, newest first. */
export async function listRetrievalRuns(): Promise<RunRecord[]> {
  const db = await openTuneLabDb();
  const runs = await db.getAllFromIndex('runs', 'createdAt');
  return runs.filter((r) => r.retrieval !== undefined).reverse();
}
