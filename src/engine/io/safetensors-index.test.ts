// Sharded checkpoints: index parsing, hostile file names, shards that disagree with the index.
import { describe, expect, it } from 'vitest';
import { SafetensorsError } from '../errors';
import { readSafetensorsHeader } from './safetensors-header';
import { checkShardsAgainstIndex, parseSafetensorsIndex } from './safetensors-index';
import { readSafetensors } from './safetensors-read';
import { writeSafetensors } from './safetensors-write';

const shardA = writeSafetensors(new Map([['a', { shape: [2], data: new Float32Array([1, 2]) }]]));
const shardB = writeSafetensors(new Map([['b', { shape: [1, 3], data: new Float32Array([3, 4, 5]) }], ['c', { shape: [], data: new Float32Array([6]) }]]));
const headers = new Map([
  ['model-00001-of-00002.safetensors', readSafetensorsHeader(shardA)],
  ['model-00002-of-00002.safetensors', readSafetensorsHeader(shardB)],
]);
const indexJson = {
  metadata: { total_size: 24 },
  weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' },
};

describe('sharded safetensors', () => {
  it('parses the index and accepts matching shards', () => {
    const index = parseSafetensorsIndex(JSON.stringify(indexJson));
    expect(index.shards).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(index.totalSize).toBe(24);
    expect(() => checkShardsAgainstIndex(index, headers)).not.toThrow();
    expect([...readSafetensors(shardB, { include: (n) => n === 'c' }).keys()]).toEqual(['c']);
  });

  it('refuses indexes that lie or point outside the folder', () => {
    const bad = (json: unknown) => () => checkShardsAgainstIndex(parseSafetensorsIndex(json), headers);
    expect(bad({ ...indexJson, metadata: { total_size: 25 } })).toThrow(/total 25 bytes; the shards hold 24/);
    expect(bad({ weight_map: { ...indexJson.weight_map, a: 'model-00002-of-00002.safetensors' } })).toThrow(/puts "a" in shard "model-00002-of-00002.safetensors", but that shard does not hold it/);
    expect(bad({ weight_map: { ...indexJson.weight_map, d: 'model-00002-of-00002.safetensors' } })).toThrow(/does not hold it/);
    expect(bad({ weight_map: { a: '../../etc/passwd.safetensors' } })).toThrow(/not a plain .safetensors file name/);
    expect(bad({ weight_map: { b: 'model-00002-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' } })).not.toThrow();
    expect(() => parseSafetensorsIndex('{')).toThrow(SafetensorsError);
    expect(() => parseSafetensorsIndex({ weight_map: {} })).toThrow(/no tensors/);
    expect(() => parseSafetensorsIndex({ weight_map: { a: 'x.safetensors' }, metadata: { total_size: -1 } })).toThrow(/total_size/);
  });
});
