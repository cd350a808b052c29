// Export a LoRA adapter as PEFT's files (plus lineage), and import PEFT adapters trained here or elsewhere.
import { AdapterFormatError, AdapterMismatchError } from '../errors';
import type { CheckpointIdentity } from '../hub/load';
import { sha256OfBytes } from '../hub/hash';
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from '../io';
import { LoraAdapter, loraAName, loraBName, peftPrefix } from '../lora/adapter';
import type { LoraConfig } from '../lora/config';
import type { CausalLM } from '../models/causal-lm';
import type { ModelConfig, WeightMap } from '../models/config';
import type { LinearModuleSpec } from '../models/params';
import { buildAdapterConfig, parseAdapterConfig } from './adapter-config';
import { checkAdapterBase, readStamp, stampMetadata, type BaseStamp } from './base-check';
import { LINEAGE_FILE, TUNELAB_VERSION, type LineageInput, type LineageManifest } from './lineage';
import type { FileBundle } from './zip';

export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';

const encodeJson = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');

/** adapter_config.json + adapter_model.safetensors (PEFT names, [r, in] / [out, r]) + tunelab_lineage.json. */
export async function exportPeftAdapter(adapter: LoraAdapter, modelType: ModelConfig['model_type'] | 'bert', lineage: LineageInput): Promise<{ files: FileBundle; manifest: LineageManifest }> {
  // The base's name and sha-256s also go into the weights file's metadata: a user who keeps only PEFT's two files keeps them.
  const weights = writeSafetensors(await adapter.readWeights(), { format: 'pt', ...stampMetadata(lineage.base) });
  const config = buildAdapterConfig(adapter.config, modelType, lineage.base.repo, lineage.base.commit ?? lineage.base.revision);
  const manifest: LineageManifest = {
    format: 'tunelab-lineage/1',
    tunelabVersion: TUNELAB_VERSION,
    createdAt: new Date().toISOString(),
    ...lineage,
    adapterSha256: await sha256OfBytes(weights),
  };
  return { files: { [ADAPTER_CONFIG_FILE]: encodeJson(config), [ADAPTER_WEIGHTS_FILE]: weights, [LINEAGE_FILE]: encodeJson(manifest) }, manifest };
}

export interface ImportedAdapter {
  lora: LoraConfig;
  /** PEFT-named weights, float32. */
  weights: WeightMap;
  baseModel: string | null;
  lineage: LineageManifest | null;
  /** The base identity TuneLab stamps into adapter_model.safetensors' metadata (null for adapters from elsewhere). */
  stamp: BaseStamp | null;
}

function parseJsonFile(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new AdapterFormatError(`${file} is not valid JSON (${(e as Error).message}).`, 'Export the adapter again.');
  }
}

/** PEFT saves without the adapter name, but some tools keep ".default"; both mean the same tensor. */
function normalizeName(name: string): string {
  return name.replace(/\.lora_([AB])\.default\.weight$/, '.lora_$1.weight');
}

/**
 * Reads PEFT adapter files, checking every tensor belongs to a targeted module of this model. With `base`, first
 * refuses an adapter that records another base (checkAdapterBase), so that reason is given rather than a module mismatch.
 */
export function readPeftAdapter(files: FileBundle, available: LinearModuleSpec[], base?: CheckpointIdentity): ImportedAdapter {
  const configBytes = files[ADAPTER_CONFIG_FILE];
  const weightBytes = files[ADAPTER_WEIGHTS_FILE];
  if (!configBytes || !weightBytes) {
    const missing = [!configBytes && ADAPTER_CONFIG_FILE, !weightBytes && ADAPTER_WEIGHTS_FILE].filter(Boolean).join(' and ');
    const hint = files['adapter_model.bin'] ? 'adapter_model.bin (pickle) is not read; save with safe_serialization=True.' : 'Pick both files PEFT saved (or the zip holding them).';
    throw new AdapterFormatError(`The adapter lacks ${missing}.`, hint);
  }
  const { lora, baseModel } = parseAdapterConfig(parseJsonFile(configBytes, ADAPTER_CONFIG_FILE), available);
  const lineageBytes = files[LINEAGE_FILE];
  const lineage = lineageBytes ? (parseJsonFile(lineageBytes, LINEAGE_FILE) as LineageManifest) : null;
  if (lineage && lineage.format !== 'tunelab-lineage/1') throw new AdapterFormatError(`${LINEAGE_FILE} has format ${JSON.stringify(lineage.format)}.`, 'This TuneLab reads tunelab-lineage/1.');
  const stamp = readStamp(readSafetensorsHeader(weightBytes).metadata);
  if (base) checkAdapterBase({ lineage, stamp, baseModel }, base);
  const raw = readSafetensors(weightBytes);
  const weights: WeightMap = new Map();
  for (const [name, value] of raw) weights.set(normalizeName(name), value);
  const expected = new Set<string>();
  for (const spec of available) {
    if (lora.target_modules.some((t) => spec.module === t || spec.module.endsWith(`.${t}`))) expected.add(loraAName(spec.module)).add(loraBName(spec.module));
  }
  if (expected.size === 0) {
    throw new AdapterMismatchError(`The adapter targets ${lora.target_modules.join(', ')}, none of which this model has.`, 'The adapter belongs to another architecture.');
  }
  for (const name of weights.keys()) {
    if (!expected.has(name)) {
      const why = name.startsWith(peftPrefix) ? 'which is not a LoRA weight of a targeted module of this model' : `which lacks PEFT's "${peftPrefix}" prefix`;
      throw new AdapterMismatchError(`The adapter holds "${name}", ${why}.`, 'The adapter belongs to another base model, or holds weights TuneLab does not support (embeddings, biases).');
    }
  }
  return { lora, weights, baseModel, lineage, stamp };
}

/**
 * Builds the adapter on a loaded model, after refusing a mismatch (checkAdapterBase: the sha-256s of its base when the
 * adapter records them, else its base_model_name_or_path when both it and the loaded model are Hub repo ids).
 */
export function attachPeftAdapter(model: CausalLM, imported: ImportedAdapter, base: CheckpointIdentity): LoraAdapter {
  checkAdapterBase(imported, base);
  return LoraAdapter.fromWeights(model.linearModules, imported.lora, imported.weights);
}
