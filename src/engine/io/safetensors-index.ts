// Validates a sharded checkpoint's model.safetensors.index.json and checks the shards against it.

import { SafetensorsError } from '../errors';
import type { SafetensorsHeader } from './safetensors-header';

export interface SafetensorsIndex {
  /** metadata.total_size: bytes of all tensor data, when the index gives it. */
  totalSize?: number;
  /** Tensor name → shard file name. */
  weightMap: Map<string, string>;
  /** Shard file names, sorted, each once. */
  shards: string[];
}

const HINT = 'The index file does not match the checkpoint; download model.safetensors.index.json and the shards again.';

/** A shard name must be a plain file name: no folders, no "..", ending in .safetensors (it becomes part of a URL). */
function checkShardName(file: string): void {
  if (!/^[\w.-]+\.safetensors$/.test(file) || file.startsWith('.')) {
    throw new SafetensorsError(`The index names the shard ${JSON.stringify(file).slice(0, 80)}, which is not a plain .safetensors file name.`, HINT);
  }
}

/** Parses model.safetensors.index.json (text or parsed JSON). */
export function parseSafetensorsIndex(input: string | unknown): SafetensorsIndex {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (error) {
      throw new SafetensorsError(`model.safetensors.index.json is not valid JSON (${error instanceof Error ? error.message : String(error)}).`, HINT);
    }
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new SafetensorsError('model.safetensors.index.json is not a JSON object.', HINT);
  const { metadata, weight_map: weightMap } = json as Record<string, unknown>;
  if (!weightMap || typeof weightMap !== 'object' || Array.isArray(weightMap)) {
    throw new SafetensorsError('model.safetensors.index.json has no "weight_map" object.', HINT);
  }
  const index: SafetensorsIndex = { weightMap: new Map(), shards: [] };
  if (metadata && typeof metadata === 'object' && 'total_size' in metadata) {
    const total = (metadata as Record<string, unknown>).total_size;
    if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) {
      throw new SafetensorsError(`The index gives total_size ${JSON.stringify(total)}, not a byte count.`, HINT);
    }
    index.totalSize = total;
  }
  const shards = new Set<string>();
  for (const [name, file] of Object.entries(weightMap as Record<string, unknown>)) {
    if (typeof file !== 'string') throw new SafetensorsError(`The index maps "${name}" to ${JSON.stringify(file)}, not a file name.`, HINT);
    checkShardName(file);
    index.weightMap.set(name, file);
    shards.add(file);
  }
  if (shards.size === 0) throw new SafetensorsError('The index lists no tensors.', HINT);
  index.shards = [...shards].sort();
  return index;
}

/**
 * Checks that the shards hold exactly the tensors the index assigns them, and that their data adds up to
 * total_size. `headers` maps shard file name → its validated header.
 */
export function checkShardsAgainstIndex(index: SafetensorsIndex, headers: ReadonlyMap<string, SafetensorsHeader>): void {
  let dataBytes = 0;
  for (const shard of index.shards) {
    const header = headers.get(shard);
    if (!header) throw new SafetensorsError(`Shard "${shard}" named by the index is missing.`, HINT);
    for (const tensor of header.tensors) {
      const listed = index.weightMap.get(tensor.name);
      if (listed !== shard) {
        throw new SafetensorsError(
          listed ? `Tensor "${tensor.name}" is in shard "${shard}" but the index puts it in "${listed}".` : `Tensor "${tensor.name}" in shard "${shard}" is not in the index.`,
          HINT,
        );
      }
      dataBytes += tensor.dataOffsets[1] - tensor.dataOffsets[0];
    }
  }
  for (const [name, shard] of index.weightMap) {
    if (!headers.get(shard)?.tensors.some((t) => t.name === name)) {
      throw new SafetensorsError(`The index puts "${name}" in shard "${shard}", but that shard does not hold it.`, HINT);
    }
  }
  if (index.totalSize !== undefined && index.totalSize !== dataBytes) {
    throw new SafetensorsError(`The index says the tensors total ${index.totalSize} bytes; the shards hold ${dataBytes}.`, HINT);
  }
}
