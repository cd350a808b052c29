// Loads a checkpoint in the Hub layout (config, tokenizer, single or sharded safetensors) from any CheckpointSource.
import { CheckpointLayoutError, ModelConfigError, SafetensorsError } from '../errors';
import { readSafetensorsHeader, readTensor } from '../io';
import type { ModelConfig, WeightMap } from '../models/config';
import { parseModelConfig } from './architecture';
import { sha256OfBytes } from './hash';
import type { CheckpointSource } from './source';
import { checkWeightShapes, type ShapeMap } from './weight-check';
import { localModelName, type NameSource } from './local-identity';

/** Who the base model is, for lineage and for refusing adapters trained on another base. */
export interface CheckpointIdentity {
  /** The Hub repo id; for local files a resolvable name (see localModelName), for a shipped Tiny World base its path. */
  repo: string;
  revision: string;
  /** The commit the revision resolved to on the Hub, when known. */
  commit: string | null;
  /** sha-256 of model.safetensors; for a sharded checkpoint, of the lines "shard sha256\n" in shard order. */
  weightsSha256: string;
  tokenizerSha256: string;
  /** Where `repo` came from (absent in lineage written before local models were named: those are Hub ids or "local files"). */
  nameSource?: NameSource;
}

export interface LoadedCheckpoint {
  config: ModelConfig;
  /** Weights under the checkpoint's own names (Hub GPT-2 files have no "transformer." prefix; createModel takes both). */
  weights: WeightMap;
  tokenizerJson: object;
  tokenizerConfig: object | null;
  generationConfig: object | null;
  identity: CheckpointIdentity;
  /** Files read, with their sizes and tensor dtypes, for the UI. */
  files: { name: string; bytes: number }[];
  dtypes: string[];
}

export function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new CheckpointLayoutError(`${file} is not valid JSON: ${(e as Error).message}.`, 'Download the file again from the model repository.');
  }
}

export const jsonValidator = (file: string) => (bytes: Uint8Array) => void parseJson(bytes, file);
const safetensorsValidator = (file: string) => (bytes: Uint8Array) => {
  try {
    readSafetensorsHeader(bytes);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new SafetensorsError(`${file}: ${e.message}`, e.hint);
    throw e;
  }
};

/** A shard name from an index must be a plain file name in the same folder. */
function checkShardName(name: unknown): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+\.safetensors$/.test(name) || name.includes('..')) {
    throw new CheckpointLayoutError(`model.safetensors.index.json names a shard ${JSON.stringify(name)}, which is not a .safetensors file in the same folder.`, 'The index file is damaged; download it again.');
  }
  return name;
}

function parseIndex(json: unknown): Map<string, string[]> {
  const weightMap = (json as { weight_map?: unknown } | null)?.weight_map;
  if (!weightMap || typeof weightMap !== 'object' || Array.isArray(weightMap)) {
    throw new CheckpointLayoutError('model.safetensors.index.json has no "weight_map" object.', 'The index file is damaged; download it again.');
  }
  const byShard = new Map<string, string[]>();
  for (const [tensor, shard] of Object.entries(weightMap as Record<string, unknown>)) {
    const name = checkShardName(shard);
    byShard.set(name, [...(byShard.get(name) ?? []), tensor]);
  }
  if (byShard.size === 0) throw new CheckpointLayoutError('model.safetensors.index.json lists no tensors.', 'The index file is damaged; download it again.');
  return byShard;
}

export interface WeightFile {
  name: string;
  bytes: Uint8Array;
}

export async function readWeightFiles(source: CheckpointSource): Promise<{ files: WeightFile[]; index: Map<string, string[]> | null }> {
  const single = await source.read('model.safetensors', safetensorsValidator('model.safetensors'));
  if (single) return { files: [{ name: 'model.safetensors', bytes: single }], index: null };
  const indexBytes = await source.read('model.safetensors.index.json', jsonValidator('model.safetensors.index.json'));
  if (!indexBytes) {
    throw new CheckpointLayoutError(`${source.label} has neither model.safetensors nor model.safetensors.index.json.`, 'TuneLab reads safetensors only (not pytorch_model.bin); pick a repository that has them.');
  }
  const index = parseIndex(parseJson(indexBytes, 'model.safetensors.index.json'));
  const files: WeightFile[] = [];
  for (const shard of [...index.keys()].sort()) {
    const bytes = await source.read(shard, safetensorsValidator(shard));
    if (!bytes) throw new CheckpointLayoutError(`model.safetensors.index.json lists ${shard}, but ${source.label} has no such file.`, 'Download every shard the index names.');
    files.push({ name: shard, bytes });
  }
  return { files, index };
}

/** Decodes every tensor (but those `skip` names, e.g. integer position_ids buffers), checking each shard holds exactly what the index says it holds. */
export function decodeWeights(files: WeightFile[], index: Map<string, string[]> | null, skip: (name: string, dtype: string) => boolean = () => false): { weights: WeightMap; shapes: ShapeMap; dtypes: Set<string> } {
  const weights: WeightMap = new Map();
  const shapes: ShapeMap = new Map();
  const dtypes = new Set<string>();
  for (const file of files) {
    const header = readSafetensorsHeader(file.bytes);
    if (index) {
      const present = new Set(header.tensors.map((t) => t.name));
      const listed = index.get(file.name) as string[];
      const absent = listed.find((t) => !present.has(t));
      if (absent) throw new CheckpointLayoutError(`model.safetensors.index.json puts ${absent} in ${file.name}, but that shard does not hold it.`, 'The index does not belong to these shards; download the checkpoint again.');
      const unlisted = header.tensors.find((t) => !listed.includes(t.name));
      if (unlisted) throw new CheckpointLayoutError(`${file.name} holds ${unlisted.name}, which model.safetensors.index.json does not assign to it.`, 'The index does not belong to these shards; download the checkpoint again.');
    }
    for (const tensor of header.tensors) {
      if (weights.has(tensor.name)) throw new CheckpointLayoutError(`Tensor ${tensor.name} appears in two weight files.`, 'The checkpoint is damaged; download it again.');
      if (skip(tensor.name, tensor.dtype)) continue;
      shapes.set(tensor.name, tensor.shape);
      dtypes.add(tensor.dtype);
      weights.set(tensor.name, readTensor(file.bytes, header, tensor));
    }
  }
  return { weights, shapes, dtypes };
}

export async function weightsFingerprint(files: WeightFile[], index: Map<string, string[]> | null): Promise<string> {
  const hashes = await Promise.all(files.map((f) => sha256OfBytes(f.bytes)));
  if (!index) return hashes[0];
  return sha256OfBytes(new TextEncoder().encode(files.map((f, i) => `${f.name} ${hashes[i]}\n`).join('')));
}

/** Reads and checks everything, config first (so an unsupported model is refused before weights download). */
export async function loadCheckpoint(source: CheckpointSource): Promise<LoadedCheckpoint> {
  const configBytes = await source.read('config.json', jsonValidator('config.json'));
  if (!configBytes) throw new CheckpointLayoutError(`${source.label} has no config.json.`, 'Pick the folder (or repository) that holds config.json, tokenizer.json and the safetensors weights.');
  const rawConfig = parseJson(configBytes, 'config.json');
  const config = parseModelConfig(rawConfig);
  const tokenizerBytes = await source.read('tokenizer.json', jsonValidator('tokenizer.json'));
  if (!tokenizerBytes) throw new CheckpointLayoutError(`${source.label} has no tokenizer.json.`, 'TuneLab needs the fast-tokenizer file tokenizer.json; pick a repository that ships it.');
  const tokenizerJson = parseJson(tokenizerBytes, 'tokenizer.json') as object;
  const tokenizerConfigBytes = await source.read('tokenizer_config.json', jsonValidator('tokenizer_config.json'));
  const generationConfigBytes = await source.read('generation_config.json', jsonValidator('generation_config.json'));
  const { files, index } = await readWeightFiles(source);
  const { weights, shapes, dtypes } = decodeWeights(files, index);
  checkWeightShapes(config, shapes);
  const vocab = (tokenizerJson as { model?: { vocab?: unknown } }).model?.vocab;
  const tokenizerSize = vocab && typeof vocab === 'object' ? Object.keys(vocab).length : 0;
  if (tokenizerSize > config.vocab_size) {
    throw new ModelConfigError(`tokenizer.json has ${tokenizerSize} tokens but config.json's vocab_size is ${config.vocab_size}.`, 'The tokenizer belongs to another model; download both from the same repository.');
  }
  const weightsSha256 = await weightsFingerprint(files, index);
  // Local files are named by the user, their config or their hash, never "local files": lineage and exports must say which model.
  const named = source.local ? localModelName(source.local.givenName, rawConfig, config.model_type, weightsSha256) : { name: source.repo, nameSource: 'hub' as const };
  return {
    config,
    weights,
    tokenizerJson,
    tokenizerConfig: tokenizerConfigBytes ? (parseJson(tokenizerConfigBytes, 'tokenizer_config.json') as object) : null,
    generationConfig: generationConfigBytes ? (parseJson(generationConfigBytes, 'generation_config.json') as object) : null,
    identity: { repo: named.name, nameSource: named.nameSource, revision: source.revision, commit: source.commit(), weightsSha256, tokenizerSha256: await sha256OfBytes(tokenizerBytes) },
    files: [
      { name: 'config.json', bytes: configBytes.length },
      { name: 'tokenizer.json', bytes: tokenizerBytes.length },
      ...(tokenizerConfigBytes ? [{ name: 'tokenizer_config.json', bytes: tokenizerConfigBytes.length }] : []),
      ...(generationConfigBytes ? [{ name: 'generation_config.json', bytes: generationConfigBytes.length }] : []),
      ...files.map((f) => ({ name: f.name, bytes: f.bytes.length })),
    ],
    dtypes: [...dtypes].sort(),
  };
}
