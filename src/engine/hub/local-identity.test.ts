// Local files get an identity: a name (given, from config.json, or from the weights' hash) and the sha-256s of weights and tokenizer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, fixtureFiles } from './testing/fixture-server';
import { loadCheckpoint } from './load';
import { localModelName } from './local-identity';
import { LocalFilesSource } from './source';
import { sha256OfBytes } from './hash';

const sha = 'ab12'.repeat(16);

describe('localModelName', () => {
  it('prefers the name the user gave, then config.json’s _name_or_path, then the weights’ hash', () => {
    expect(localModelName('  Qwen/Qwen2-0.5B ', { _name_or_path: 'x/y' }, 'qwen2', sha)).toEqual({ name: 'Qwen/Qwen2-0.5B', nameSource: 'given' });
    expect(localModelName('', { _name_or_path: '/models/smol' }, 'llama', sha)).toEqual({ name: '/models/smol', nameSource: 'config' });
    expect(localModelName(null, { _name_or_path: '' }, 'llama', sha)).toEqual({ name: 'local-llama-ab12ab12ab12', nameSource: 'hash' });
    expect(localModelName(undefined, null, 'gpt2', sha).name).toBe('local-gpt2-ab12ab12ab12');
  });
});

describe('local files identity', () => {
  it('is never "local files": named by the hash of its weights, with both sha-256s; a given name wins', async () => {
    const repo = 'tunelab-test/tiny-qwen2';
    const files = () => fixtureFiles(repo, ['config.json', 'tokenizer.json', 'model.safetensors']);
    const weightsSha = await sha256OfBytes(new Uint8Array(readFileSync(join(FIXTURES_DIR, repo, 'model.safetensors'))));
    const anonymous = await loadCheckpoint(new LocalFilesSource(files()));
    expect(anonymous.identity).toMatchObject({ repo: `local-qwen2-${weightsSha.slice(0, 12)}`, revision: 'local', commit: null, weightsSha256: weightsSha, nameSource: 'hash' });
    expect(anonymous.identity.tokenizerSha256).toMatch(/^[0-9a-f]{64}$/);
    const named = await loadCheckpoint(new LocalFilesSource(files(), 'tunelab-test/tiny-qwen2'));
    expect(named.identity).toMatchObject({ repo: 'tunelab-test/tiny-qwen2', nameSource: 'given', weightsSha256: weightsSha });
  });
});
