// Worker job: import a PEFT adapter (trained here or with TRL/PEFT elsewhere) onto the loaded model, and export merged weights.
import { EngineUnavailableError } from '../../src/engine/errors';
import { attachPeftAdapter, mergedCheckpointFiles, readPeftAdapter, unzipBundle, zipBundle, type FileBundle } from '../../src/engine/peft';
import type { LoraAdapter } from '../../src/engine/lora/adapter';
import { loadedModel } from './load-model';

let imported: LoraAdapter | null = null;

/** The adapter attached by the last import (generate/evaluate jobs pass it to the model), or null. */
export function importedAdapter(): LoraAdapter | null {
  return imported;
}

export interface AdapterImportSummary {
  r: number;
  loraAlpha: number;
  targetModules: string[];
  modules: number;
  numParams: number;
  /** From tunelab_lineage.json when the adapter was exported by TuneLab. */
  trainedOn: string | null;
}

async function bundleOf(files: File[]): Promise<FileBundle> {
  if (files.length === 1 && files[0].name.endsWith('.zip')) return unzipBundle(new Uint8Array(await files[0].arrayBuffer()));
  const bundle: FileBundle = {};
  for (const f of files) bundle[f.name.split(/[\\/]/).pop() as string] = new Uint8Array(await f.arrayBuffer());
  return bundle;
}

/** Reads adapter_config.json + adapter_model.safetensors (or a zip of them), refusing one made for another base. */
export async function importAdapterJob(files: File[]): Promise<AdapterImportSummary> {
  const current = loadedModel();
  if (!current) throw new EngineUnavailableError('Load the base model before importing an adapter.', 'Load the model the adapter was trained on, then import it.');
  const adapterFiles = readPeftAdapter(await bundleOf(files), current.model.linearModules);
  const adapter = attachPeftAdapter(current.model, adapterFiles, current.checkpoint.identity);
  imported?.dispose();
  imported = adapter;
  const lineage = adapterFiles.lineage;
  return {
    r: adapter.config.r,
    loraAlpha: adapter.config.lora_alpha,
    targetModules: adapter.config.target_modules,
    modules: adapter.modules.size,
    numParams: adapter.numParams,
    trainedOn: lineage ? `${lineage.base.repo}@${lineage.base.commit ?? lineage.base.revision}` : adapterFiles.baseModel,
  };
}

/** The loaded model with the imported adapter merged in, as a zip of a Hub-layout folder (float32 safetensors). */
export function exportMergedJob(): Uint8Array {
  const current = loadedModel();
  if (!current || !imported) throw new EngineUnavailableError('Nothing to merge: load a model and import or train an adapter first.', 'Import an adapter on the Models page.');
  return zipBundle(mergedCheckpointFiles(current.checkpoint, current.model, imported));
}
