// Tests: the remembered model choice that survives a reload.
import { describe, expect, it } from 'vitest';
import { cachedCompletely, chosenBeforeReload, rememberLoaded, restoreRemembered } from './remembered-model';
import type { LoadModelSummary } from '../../contract';

const summary = (revision: string, repo = 'owner/tiny'): LoadModelSummary =>
  ({ identity: { repo, revision, commit: 'abc123', weightsSha256: 'f'.repeat(64), tokenizerSha256: 'e'.repeat(64) } }) as unknown as LoadModelSummary;

describe('rememberLoaded / restoreRemembered', () => {
  it('remembers a Hub model with its endpoint and commit, and reads it back from the stored choice', () => {
    const r = rememberLoaded(summary('main'), 'owner/tiny@main (loaded)', 'https://mirror.example/hub');
    expect(r).toEqual({ source: 'hub', name: 'owner/tiny@main (loaded)', repo: 'owner/tiny', revision: 'main', endpoint: 'https://mirror.example/hub', commit: 'abc123', weightsSha256: 'f'.repeat(64) });
    expect(restoreRemembered(JSON.parse(JSON.stringify({ kind: 'loaded', remembered: r })))).toEqual(r);
  });

  it('remembers local files by name and weights only (the browser cannot re-read them)', () => {
    const r = rememberLoaded(summary('local', 'my-model'), 'my-model (local files) (loaded)', null);
    expect(r).toEqual({ source: 'files', name: 'my-model (local files) (loaded)', weightsSha256: 'f'.repeat(64) });
    expect(restoreRemembered({ kind: 'loaded', remembered: r })).toEqual(r);
  });

  it('reads other stored choices and malformed ones as nothing remembered', () => {
    expect(restoreRemembered(null)).toBeNull();
    expect(restoreRemembered({ kind: 'tiny-world', baseId: 'tiny-world-800k', name: 'x' })).toBeNull();
    expect(restoreRemembered({ kind: 'loaded' })).toBeNull();
    expect(restoreRemembered({ kind: 'loaded', remembered: { source: 'hub', name: 'x', weightsSha256: 'f', repo: 'a/b', revision: 'main' } })).toBeNull();
    expect(restoreRemembered({ kind: 'loaded', remembered: { source: 'files', name: '', weightsSha256: 'f' } })).toBeNull();
  });

  it('says what to do with a model that is not loaded again', () => {
    expect(chosenBeforeReload({ source: 'files', name: 'm (loaded)', weightsSha256: 'f' })).toBe('m (loaded) — chosen before the reload; load it again');
  });
});

describe('cachedCompletely', () => {
  it('needs config, tokenizer and the single weights file', () => {
    expect(cachedCompletely(['config.json', 'tokenizer.json', 'model.safetensors', 'tokenizer_config.json'])).toBe(true);
    expect(cachedCompletely(['config.json', 'model.safetensors'])).toBe(false);
    expect(cachedCompletely(['tokenizer.json', 'model.safetensors'])).toBe(false);
    expect(cachedCompletely(['config.json', 'tokenizer.json'])).toBe(false);
  });

  it('needs every shard a cached index names', () => {
    const files = ['config.json', 'tokenizer.json', 'model.safetensors.index.json', 'model-00001-of-00002.safetensors'];
    expect(cachedCompletely(files, ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'])).toBe(false);
    expect(cachedCompletely([...files, 'model-00002-of-00002.safetensors'], ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'])).toBe(true);
    expect(cachedCompletely(files, null)).toBe(false);
  });
});
