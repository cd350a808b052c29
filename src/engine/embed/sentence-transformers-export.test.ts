// Export a LoRA-tuned BERT embedder in sentence-transformers' layout (merged, or a PEFT adapter), check the files, and re-import to the same embeddings.
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { tf } from '../backend/tf';
import { loadEncoderCheckpoint, type LoadedEncoder } from '../hub/load-encoder';
import { HubSource, LocalFilesSource } from '../hub/source';
import { TEST_ENDPOINT, fakeHub } from '../hub/testing/fixture-server';
import { readSafetensors } from '../io';
import { LoraAdapter } from '../lora/adapter';
import { bertGolden as golden, TINY_BERT_REPO, weightMapOf } from '../models/testing/bert-fixture';
import { readPeftAdapter } from '../peft/adapter-files';
import type { LineageInput } from '../peft/lineage';
import { zipBundle, type FileBundle } from '../peft/zip';
import { scaledError } from '../train/golden-check';
import type { BertEmbedder } from './bert-embedder';
import { bertEmbedderOf } from './load-embedder';
import { parseModulesJson, parsePoolingConfig } from './sentence-transformers';
import { sentenceTransformerFiles } from './sentence-transformers-export';

beforeAll(async () => {
  await initBackend('cpu');
});

const loadBase = () => loadEncoderCheckpoint(new HubSource({ repo: TINY_BERT_REPO, endpoint: TEST_ENDPOINT, fetch: fakeHub().fetch }));
const parse = (files: FileBundle, name: string) => JSON.parse(new TextDecoder().decode(files[name])) as Record<string, unknown>;

function embed(embedder: BertEmbedder, adapter: LoraAdapter | null = null): Float32Array {
  const batch = embedder.tokenize(golden.texts);
  const e = embedder.embed(batch, adapter);
  const out = e.dataSync() as Float32Array;
  tf.dispose([batch.ids, batch.mask, e]);
  return out;
}

/** The exported folder as local files picked as a folder (paths kept; the empty 2_Normalize/ folder has no file). */
const asLocalFiles = (files: FileBundle) =>
  Object.entries(files)
    .filter(([name]) => !name.endsWith('/'))
    .map(([name, bytes]) => ({ name, arrayBuffer: async () => bytes.slice().buffer }));

function trainedAdapter(embedder: BertEmbedder): LoraAdapter {
  const { weights, ...config } = golden.adapter;
  return LoraAdapter.fromWeights(embedder.model.linearModules, config, weightMapOf(weights));
}

const lineageOf = (loaded: LoadedEncoder, adapter: LoraAdapter): LineageInput => ({
  base: { ...loaded.identity, modelType: 'bert' },
  dataset: { name: 'pairs', sha256: 'cd'.repeat(32), exampleIds: ['p1'] },
  lora: adapter.config,
  training: { lr: 2e-5, loss: 'MultipleNegativesRankingLoss' },
  seed: 1,
  evalSummary: null,
});

describe('sentence-transformers export', () => {
  it('merged: the files SentenceTransformer(path) reads, and re-import gives the same embeddings', async () => {
    const loaded = await loadBase();
    const embedder = bertEmbedderOf(loaded);
    const adapter = trainedAdapter(embedder);
    const tuned = embed(embedder, adapter);
    expect(scaledError(tuned, golden.withLora.meanNormalized)).toBeLessThan(1e-4);

    const { files, manifest } = await sentenceTransformerFiles({ loaded, embedder, adapter, mode: 'merged' });
    expect(manifest).toBeNull();
    expect(Object.keys(files).sort()).toEqual(['1_Pooling/config.json', '2_Normalize/', 'config.json', 'config_sentence_transformers.json', 'model.safetensors', 'modules.json', 'sentence_bert_config.json', 'tokenizer.json', 'tokenizer_config.json']);
    expect(parse(files, 'modules.json')).toEqual([
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
      { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
    ]);
    expect(parse(files, '1_Pooling/config.json')).toEqual({
      word_embedding_dimension: 16, pooling_mode_cls_token: false, pooling_mode_mean_tokens: true, pooling_mode_max_tokens: false,
      pooling_mode_mean_sqrt_len_tokens: false, pooling_mode_weightedmean_tokens: false, pooling_mode_lasttoken: false, include_prompt: true,
    });
    expect(parse(files, 'sentence_bert_config.json')).toEqual({ max_seq_length: 16, do_lower_case: false });
    expect(parse(files, 'config.json')).toMatchObject({ model_type: 'bert', architectures: ['BertModel'], hidden_size: 16, layer_norm_eps: 1e-12 });
    // BertModel's own names (no "bert." prefix), every encoder weight plus the original pooler.
    const names = [...readSafetensors(files['model.safetensors']).keys()];
    expect(names).toContain('encoder.layer.1.attention.self.query.weight');
    expect(names).toContain('pooler.dense.weight');
    expect(names.some((n) => n.startsWith('bert.') || n.includes('lora'))).toBe(false);
    // The zip unpacks to the same tree, the Normalize folder included.
    expect(Object.keys(unzipSync(zipBundle(files))).sort()).toEqual(Object.keys(files).sort());

    const reloaded = await loadEncoderCheckpoint(new LocalFilesSource(asLocalFiles(files), 'my-tuned-encoder'));
    expect(reloaded.sentenceTransformers).toEqual(loaded.sentenceTransformers);
    const again = bertEmbedderOf(reloaded);
    expect(scaledError(embed(again), tuned)).toBeLessThan(1e-5);
    again.model.dispose();
    adapter.dispose();
    embedder.model.dispose();
  });

  it('adapter: PEFT files over the named base with lineage; importing them onto the base gives the same embeddings', async () => {
    const loaded = await loadBase();
    const embedder = bertEmbedderOf(loaded);
    const adapter = trainedAdapter(embedder);
    const tuned = embed(embedder, adapter);
    const { files, manifest } = await sentenceTransformerFiles({ loaded, embedder, adapter, mode: 'adapter', lineage: lineageOf(loaded, adapter) });
    expect(Object.keys(files).sort()).toEqual(['1_Pooling/config.json', '2_Normalize/', 'adapter_config.json', 'adapter_model.safetensors', 'config_sentence_transformers.json', 'modules.json', 'sentence_bert_config.json', 'tokenizer.json', 'tokenizer_config.json', 'tunelab_lineage.json']);
    expect(parse(files, 'adapter_config.json')).toMatchObject({
      peft_type: 'LORA', task_type: 'FEATURE_EXTRACTION', base_model_name_or_path: TINY_BERT_REPO, r: 2, lora_alpha: 4, fan_in_fan_out: false,
      target_modules: ['attention.output.dense', 'intermediate.dense', 'key', 'output.dense', 'query', 'value'],
    });
    expect([...readSafetensors(files['adapter_model.safetensors']).keys()]).toContain('base_model.model.encoder.layer.0.attention.self.query.lora_A.weight');
    expect(manifest?.base.weightsSha256).toBe(loaded.identity.weightsSha256);

    // Re-import: load the base, attach the exported adapter (its lineage checked against the base).
    const base = await loadBase();
    const fresh = bertEmbedderOf(base);
    const imported = readPeftAdapter(files, fresh.model.linearModules, base.identity);
    const reattached = LoraAdapter.fromWeights(fresh.model.linearModules, imported.lora, imported.weights);
    expect(scaledError(embed(fresh, reattached), tuned)).toBeLessThan(1e-6);
    // The module files in the adapter folder read back to the same pooling.
    const { poolingPath, normalize } = parseModulesJson(JSON.parse(new TextDecoder().decode(files['modules.json'])));
    expect([parsePoolingConfig(parse(files, `${poolingPath}/config.json`), 16), normalize]).toEqual(['mean', true]);
    for (const a of [adapter, reattached]) a.dispose();
    embedder.model.dispose();
    fresh.model.dispose();
  });

  it('writes a tokenizer_config.json naming BertTokenizer when the base shipped none (an adapter folder has no config.json to infer it)', async () => {
    const loaded = await loadBase();
    const embedder = bertEmbedderOf(loaded);
    const adapter = trainedAdapter(embedder);
    const { files } = await sentenceTransformerFiles({ loaded: { ...loaded, tokenizerConfig: null }, embedder, adapter, mode: 'adapter', lineage: lineageOf(loaded, adapter) });
    expect(parse(files, 'tokenizer_config.json')).toMatchObject({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 16, cls_token: '[CLS]' });
    adapter.dispose();
    embedder.model.dispose();
  });

  it('refuses an adapter export without an adapter', async () => {
    const loaded = await loadBase();
    const embedder = bertEmbedderOf(loaded);
    await expect(sentenceTransformerFiles({ loaded, embedder, adapter: null, mode: 'adapter' })).rejects.toThrow(/no adapter to export/);
    embedder.model.dispose();
  });
});
