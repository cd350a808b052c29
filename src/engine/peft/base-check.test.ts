// Adapter ↔ base checks: sha-256s decide when the adapter records them; names only warn unless both are Hub repo ids.
import { describe, expect, it } from 'vitest';
import { AdapterMismatchError } from '../errors';
import type { CheckpointIdentity } from '../hub/load';
import { checkAdapterBase, readStamp, stampMetadata } from './base-check';

const sha = (c: string) => c.repeat(64);
const hub: CheckpointIdentity = { repo: 'Qwen/Qwen2-0.5B', revision: 'main', commit: sha('c'), weightsSha256: sha('a'), tokenizerSha256: sha('b'), nameSource: 'hub' };
const localQwen: CheckpointIdentity = { repo: 'local-qwen2-aaaaaaaaaaaa', revision: 'local', commit: null, weightsSha256: sha('a'), tokenizerSha256: sha('b'), nameSource: 'hash' };
const localLlama: CheckpointIdentity = { ...localQwen, repo: 'local-llama-dddddddddddd', weightsSha256: sha('d'), tokenizerSha256: sha('e') };
const none = { lineage: null, stamp: null, baseModel: null };

describe('checkAdapterBase', () => {
  it('refuses an adapter stamped with other weights (Llama ↔ Qwen2 of the same shapes), naming both', () => {
    const stamp = readStamp({ format: 'pt', ...stampMetadata(localLlama) });
    expect(stamp).toEqual({ name: 'local-llama-dddddddddddd', weightsSha256: sha('d'), tokenizerSha256: sha('e') });
    const check = () => checkAdapterBase({ ...none, stamp }, localQwen);
    expect(check).toThrow(AdapterMismatchError);
    expect(check).toThrow('This adapter was trained on local-llama-dddddddddddd (weights dddddddddddd, as its adapter_model.safetensors records); the loaded model is local-qwen2-aaaaaaaaaaaa (local files, weights aaaaaaaaaaaa).');
  });

  it('refuses the same weights with another tokenizer, and accepts the exact base without a warning', () => {
    expect(() => checkAdapterBase({ ...none, stamp: readStamp(stampMetadata({ ...localQwen, tokenizerSha256: sha('f') })) }, localQwen)).toThrow(/tokenizer ffffffffffff/);
    expect(checkAdapterBase({ ...none, stamp: readStamp(stampMetadata(localQwen)) }, localQwen)).toBeNull();
  });

  it('names alone: two different Hub repo ids are refused, a local model is only warned about', () => {
    expect(() => checkAdapterBase({ ...none, baseModel: 'meta-llama/Llama-3.2-1B' }, hub)).toThrow('This adapter was trained on meta-llama/Llama-3.2-1B; the loaded model is Qwen/Qwen2-0.5B@main.');
    const named = { ...localQwen, repo: 'Qwen/Qwen2-0.5B', nameSource: 'config' as const };
    expect(() => checkAdapterBase({ ...none, baseModel: 'meta-llama/Llama-3.2-1B' }, named)).toThrow(/the loaded model is Qwen\/Qwen2-0\.5B \(local files, weights aaaaaaaaaaaa\)/);
    expect(checkAdapterBase({ ...none, baseModel: 'local files' }, localQwen)).toMatch(/^This adapter names “local files” as its base; the loaded model is local-qwen2-aaaaaaaaaaaa \(local files, weights aaaaaaaaaaaa\)\. TuneLab cannot check/);
    expect(checkAdapterBase(none, localQwen)).toMatch(/^This adapter does not name the model it was trained on/);
  });

  it('names that agree: no warning for a Hub id or a folder of the same name; a warning when the local name is only a hash', () => {
    expect(checkAdapterBase({ ...none, baseModel: 'qwen/qwen2-0.5b' }, hub)).toBeNull();
    expect(checkAdapterBase({ ...none, baseModel: '/home/me/models/Qwen2-0.5B/' }, { ...localQwen, repo: 'Qwen/Qwen2-0.5B', nameSource: 'given' })).toBeNull();
    expect(checkAdapterBase({ ...none, baseModel: 'local-qwen2-aaaaaaaaaaaa' }, localQwen)).toMatch(/cannot check/);
  });

  it('no stamp without both sha-256s', () => {
    expect(readStamp({ format: 'pt' })).toBeNull();
    expect(readStamp({ 'tunelab.base_weights_sha256': sha('a') })).toBeNull();
  });
});
