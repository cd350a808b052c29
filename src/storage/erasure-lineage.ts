// "What was trained on these records": the dataset versions holding them, the distilled copies answering their prompts, and
// every run, checkpoint, adapter (imported ones through their lineage manifest) and learning-curve cell whose data is one of
// those, matched by content hash.
import { datasetRowChunks, listDatasets } from './datasets';
import { openTuneLabDb } from './db';
import { hubCacheArtifacts } from './hub-dataset-cache';
import { browserModelCache } from './model-cache';
import type { DatasetRecord, DistillDraftRecord, LineageArtifact, RunRecord } from '../contract';

/** The dataset sha-256 an imported adapter's lineage manifest names (tunelab_lineage.json's dataset.sha256), if any. */
export function lineageDatasetSha(run: Pick<RunRecord, 'imported'>): string | null {
  const lineage = run.imported?.lineage as { dataset?: { sha256?: unknown } | null } | null | undefined;
  const sha = lineage?.dataset?.sha256;
  return typeof sha === 'string' ? sha : null;
}

/** A distilled dataset some of whose rows answer the prompts of forgotten records: `rows` of them do. */
export interface DistilledCopy {
  dataset: Pick<DatasetRecord, 'id' | 'name' | 'sha256' | 'stats'>;
  rows: number;
}

/**
 * Pure: the distilled datasets made from the prompts of any of `versions` (by the source id or content hash their lineage
 * records) with at least one row answering a removed record's prompt (by the source row's record id each row keeps).
 */
export function distilledCopies(
  versions: readonly Pick<DatasetRecord, 'id' | 'sha256'>[],
  allDatasets: readonly Pick<DatasetRecord, 'id' | 'name' | 'sha256' | 'stats' | 'distilled'>[],
  removedRowIds: readonly string[],
): DistilledCopy[] {
  const versionIds = new Set(versions.map((v) => v.id));
  const hashes = new Set(versions.map((v) => v.sha256));
  const removed = new Set(removedRowIds);
  const out: DistilledCopy[] = [];
  for (const d of allDatasets) {
    const lineage = d.distilled;
    if (!lineage || versionIds.has(d.id)) continue;
    const fromVersion = (lineage.sourceDatasetId !== undefined && versionIds.has(lineage.sourceDatasetId)) || (lineage.sourceSha256 !== undefined && hashes.has(lineage.sourceSha256));
    if (!fromVersion) continue;
    const rows = (lineage.rowSourceIds ?? []).filter((id) => removed.has(id)).length;
    if (rows > 0) out.push({ dataset: d, rows });
  }
  return out;
}

/** Pure: the stored distillation drafts whose prompts came from one of `versions` with a row answering a removed record's prompt. */
export function draftCopies(versions: readonly Pick<DatasetRecord, 'id' | 'sha256'>[], drafts: readonly DistillDraftRecord[], removedRowIds: readonly string[]): LineageArtifact[] {
  const versionIds = new Set(versions.map((v) => v.id));
  const hashes = new Set(versions.map((v) => v.sha256));
  const removed = new Set(removedRowIds);
  return drafts.flatMap((d) => {
    const source = d.result.sourceDataset;
    if (!source || !(versionIds.has(source.id) || hashes.has(source.sha256))) return [];
    const rows = d.result.rows.filter((r) => r.sourceRowId !== undefined && removed.has(r.sourceRowId)).length;
    if (rows === 0) return [];
    return [{ kind: 'distill-draft' as const, id: d.id, name: `Draft: ${d.request.teacherLabel || d.result.producer.model} on ${d.result.sourceLabel}`, detail: `unsaved distillation draft: ${rows} of its ${d.result.rows.length} rows answer these records' prompts` }];
  });
}

/**
 * Pure: the artifacts trained on any of `versions` (datasets holding the records) or on a distilled copy of their prompts. A run counts when its dataset id is
 * one of them or another stored dataset with the same content hash; an imported adapter when its manifest names one of
 * the hashes; a learning-curve cell when its recorded dataset hash is one. `currentId` is the version a retrain copies.
 */
export function lineageOf(
  versions: readonly Pick<DatasetRecord, 'id' | 'name' | 'sha256' | 'stats'>[],
  allDatasets: readonly Pick<DatasetRecord, 'id' | 'sha256'>[],
  runs: readonly RunRecord[],
  counts: { checkpoints: ReadonlyMap<string, number>; adapters: ReadonlyMap<string, number> },
  currentId: string,
  copies: readonly DistilledCopy[] = [],
): LineageArtifact[] {
  const hashes = new Set([...versions, ...copies.map((c) => c.dataset)].map((v) => v.sha256));
  const ids = new Set(allDatasets.filter((d) => hashes.has(d.sha256)).map((d) => d.id));
  for (const v of versions) ids.add(v.id);
  for (const c of copies) ids.add(c.dataset.id);
  const currentSha = versions.find((v) => v.id === currentId)?.sha256;
  const out: LineageArtifact[] = versions.map((v) => ({ kind: 'dataset', id: v.id, name: v.name, detail: `${v.stats.rows} rows, sha-256 ${v.sha256.slice(0, 12)}…` }));
  for (const { dataset: d, rows } of copies) {
    out.push({ kind: 'dataset', id: d.id, name: d.name, detail: `distilled: ${rows} of its ${d.stats.rows} rows are a teacher's answers to these records' prompts (they hold the prompts)` });
  }
  for (const run of runs) {
    const checkpoints = counts.checkpoints.get(run.id) ?? 0;
    const adapters = counts.adapters.get(run.id) ?? 0;
    const stored = [checkpoints ? `${checkpoints} checkpoint${checkpoints === 1 ? '' : 's'}` : '', adapters ? `${adapters} adapter${adapters === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
    if (run.imported) {
      const sha = lineageDatasetSha(run);
      if (sha && hashes.has(sha)) out.push({ kind: 'imported-adapter', id: run.id, name: run.name, detail: `imported from ${run.imported.source}; its lineage manifest names dataset ${sha.slice(0, 12)}…`, checkpoints, adapters, status: run.status });
      continue;
    }
    const curveSha = run.experimentCell?.curve?.datasetSha256;
    if (curveSha !== undefined) {
      if (hashes.has(curveSha)) out.push({ kind: 'curve-cell', id: run.id, name: run.name, detail: `learning-curve cell on dataset ${curveSha.slice(0, 12)}…`, checkpoints, adapters, status: run.status });
      continue;
    }
    if (!ids.has(run.datasetId)) continue;
    // A retrain copies a run trained here on this very version (a step ≥ 1 so its settings are real).
    const onCurrent = run.datasetId === currentId || allDatasets.some((d) => d.id === run.datasetId && d.sha256 === currentSha);
    const retrainable = onCurrent && !run.pretrain && !run.experimentCell && run.unlearning?.method !== 'gradient-ascent';
    out.push({ kind: 'run', id: run.id, name: run.name, detail: `${run.status} at step ${run.step}${stored ? `; ${stored}` : ''}`, checkpoints, adapters, status: run.status, retrainable });
  }
  return out;
}

async function holdsAny(dataset: DatasetRecord, ids: ReadonlySet<string>): Promise<boolean> {
  for await (const rows of datasetRowChunks(dataset)) if (rows.some((r) => ids.has(r.id))) return true;
  return false;
}

/**
 * The dataset versions that hold any of the records: the current one, versions with its hash, and its relatives through
 * the lineage (its parents and the versions made from it, e.g. by inserting canaries), each checked row by row.
 */
export async function versionsHolding(current: DatasetRecord, removedRowIds: readonly string[]): Promise<DatasetRecord[]> {
  const all = (await listDatasets()) as DatasetRecord[];
  const byId = new Map(all.map((d) => [d.id, d]));
  const related = new Set<string>([current.id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of all) {
      const linked = related.has(d.id) || d.sha256 === current.sha256 || (d.parentId !== undefined && related.has(d.parentId)) || [...related].some((id) => byId.get(id)?.parentId === d.id);
      if (linked && !related.has(d.id)) {
        related.add(d.id);
        grew = true;
      }
    }
  }
  const ids = new Set(removedRowIds);
  const out: DatasetRecord[] = [current];
  for (const id of related) {
    const d = byId.get(id);
    if (d && d.id !== current.id && (await holdsAny(d, ids))) out.push(d);
  }
  return out;
}

/** The lineage answer for forgetting `removedRowIds` from `current`, read from the stores. */
export async function findLineage(current: DatasetRecord, removedRowIds: readonly string[]): Promise<LineageArtifact[]> {
  const versions = await versionsHolding(current, removedRowIds);
  const db = await openTuneLabDb();
  // Counted through the runId index's keys: the checkpoints' weights are never read.
  const tally = async (store: 'checkpoints' | 'adapters') => {
    const counts = new Map<string, number>();
    let cursor = await db.transaction(store).store.index('runId').openKeyCursor();
    while (cursor) {
      counts.set(cursor.key, (counts.get(cursor.key) ?? 0) + 1);
      cursor = await cursor.continue();
    }
    return counts;
  };
  const [all, runs, checkpoints, adapters] = await Promise.all([listDatasets(), db.getAll('runs'), tally('checkpoints'), tally('adapters')]);
  // A Hub import's downloaded Parquet files hold the records too (compressed: a text scan would not find them).
  const cached = (await browserModelCache()?.list().catch(() => [])) ?? [];
  const copies = distilledCopies(versions, all, removedRowIds);
  const drafts = draftCopies(versions, await db.getAll('distillDrafts'), removedRowIds);
  return [...lineageOf(versions, all, runs, { checkpoints, adapters }, current.id, copies), ...drafts, ...hubCacheArtifacts(versions, cached)];
}
