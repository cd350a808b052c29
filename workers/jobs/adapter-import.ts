// Worker job: import a PEFT adapter (trained here or with TRL/PEFT elsewhere) onto the loaded model, and export merged weights.
import type { AdapterImportSummary, ImportedRun } from '../../src/contract';
import { EngineUnavailableError } from '../../src/engine/errors';
import { attachPeftAdapter, checkAdapterBase, mergedCheckpointFiles, readPeftAdapter, unzipBundle, zipBundle, type FileBundle, type ImportedAdapter } from '../../src/engine/peft';
import type { CheckpointIdentity } from '../../src/engine/hub';
import type { LoraAdapter } from '../../src/engine/lora/adapter';
import type { CausalLM } from '../../src/engine/models/causal-lm';
import { saveImportedAdapter } from '../../src/storage/adapters';
import type { RunRecord, TinyModelSpec } from '../../src/contract';
import { loadedModel } from '../helpers/loaded-model';
import { peftBaseOf } from '../helpers/peft-base';

let imported: LoraAdapter | null = null;

/** The adapter attached by the last import (generate/evaluate jobs pass it to the model), or null. */
export function importedAdapter(): LoraAdapter | null {
  return imported;
}

async function bundleOf(files: File[]): Promise<FileBundle> {
  if (files.length === 1 && files[0].name.endsWith('.zip')) return unzipBundle(new Uint8Array(await files[0].arrayBuffer()));
  const bundle: FileBundle = {};
  for (const f of files) bundle[f.name.split(/[\\/]/).pop() as string] = new Uint8Array(await f.arrayBuffer());
  return bundle;
}

/** Reads and checks the files against a base; refuses an adapter made for another base (sha-256s, or repo ids), warns when unsure. */
async function readAndAttach(files: File[], model: CausalLM, identity: CheckpointIdentity): Promise<{ adapter: LoraAdapter; files: ImportedAdapter; summary: AdapterImportSummary }> {
  const adapterFiles = readPeftAdapter(await bundleOf(files), model.linearModules, identity);
  const warning = checkAdapterBase(adapterFiles, identity);
  const adapter = attachPeftAdapter(model, adapterFiles, identity);
  const lineage = adapterFiles.lineage;
  const summary: AdapterImportSummary = {
    r: adapter.config.r,
    loraAlpha: adapter.config.lora_alpha,
    targetModules: adapter.config.target_modules,
    modules: adapter.modules.size,
    numParams: adapter.numParams,
    trainedOn: lineage ? `${lineage.base.repo}@${lineage.base.commit ?? lineage.base.revision}` : (adapterFiles.stamp?.name ?? adapterFiles.baseModel),
    warning,
  };
  return { adapter, files: adapterFiles, summary };
}

/** Reads adapter_config.json + adapter_model.safetensors (or a zip of them), refusing one made for another base. */
export async function importAdapterJob(files: File[]): Promise<AdapterImportSummary> {
  const current = loadedModel();
  if (!current) throw new EngineUnavailableError('Load the base model before importing an adapter.', 'Load the model the adapter was trained on, then import it.');
  const { adapter, summary } = await readAndAttach(files, current.model, current.checkpoint.identity);
  imported?.dispose();
  imported = adapter;
  return summary;
}

/**
 * Imports an adapter as a run on the loaded model: a run record (0 steps, status completed, `imported` set) and its
 * PEFT weights in the adapters store, so base-vs-adapter generation, evaluation and re-export work as for trained runs.
 * `dataset` is what evaluation uses (its test split); null when none is chosen.
 */
export async function importAdapterRunJob(files: File[], spec: TinyModelSpec, dataset: { id: string; name: string } | null): Promise<ImportedRun> {
  // The loaded Hub/local model, or a Tiny World base (refused: a seed-initialised model, or a loaded one no longer in the worker).
  const base = await peftBaseOf(spec);
  let read: ImportedAdapter;
  let summary: AdapterImportSummary;
  try {
    const attached = await readAndAttach(files, base.model, base.checkpoint.identity);
    attached.adapter.dispose();
    ({ files: read, summary } = attached);
  } finally {
    base.release();
  }
  const source = files.map((f) => f.name).join(' + ');
  const now = Date.now();
  const { lora } = read;
  const run: RunRecord = {
    id: crypto.randomUUID(),
    name: `Imported adapter · ${source} · r${lora.r} on ${spec.baseId}`,
    createdAt: now,
    updatedAt: now,
    datasetId: dataset?.id ?? '',
    datasetName: dataset?.name ?? '(none)',
    model: spec,
    vocab: [],
    hyper: {
      method: 'lora',
      steps: 0,
      batchSize: 1,
      learningRate: 0,
      warmupSteps: 0,
      schedule: 'constant',
      weightDecay: 0,
      gradClip: 0,
      gradAccumulation: 1,
      lora: { r: lora.r, alpha: lora.lora_alpha, dropout: lora.lora_dropout, targetModules: lora.target_modules, ...(lora.use_rslora && { useRslora: true }) },
      seed: read.lineage?.seed ?? 0,
      checkpointEvery: 0,
      evalEvery: 0,
    },
    status: 'completed',
    step: 0,
    lastCheckpointStep: null,
    metrics: [],
    message: `Imported from ${source}${summary.trainedOn ? `, trained on ${summary.trainedOn}` : ''}; not trained here.${summary.warning ? ` ${summary.warning}` : ''}`,
    imported: { source, trainedOn: summary.trainedOn, lineage: read.lineage },
  };
  // Own copies: a view into the file's buffer would make IndexedDB store the whole buffer once per tensor.
  await saveImportedAdapter(run, Object.fromEntries([...read.weights].map(([name, w]) => [name, { shape: w.shape, data: w.data.slice() }])));
  return { ...summary, runId: run.id };
}

/** The loaded model with the imported adapter merged in, as a zip of a Hub-layout folder (float32 safetensors). */
export async function exportMergedJob(): Promise<Uint8Array> {
  const current = loadedModel();
  if (!current || !imported) throw new EngineUnavailableError('Nothing to merge: load a model and import or train an adapter first.', 'Import an adapter on the Models page.');
  return zipBundle(await mergedCheckpointFiles(current.checkpoint, current.model, imported));
}
