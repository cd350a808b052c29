// Loads the tiny sentence-transformers BERT from the (fake) Hub and from local files into an Embedder, and refuses what it cannot run by name.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { tf } from '../backend/tf';
import { bertEmbedderOf } from '../embed/load-embedder';
import { writeSafetensors } from '../io';
import { bertGolden as golden, TINY_BERT_REPO, tinyBertFile, tinyBertJson, tinyBertWeights } from '../models/testing/bert-fixture';
import { scaledError } from '../train/golden-check';
import { checkpointKind, loadEncoderCheckpoint } from './load-encoder';
import { HubSource, LocalFilesSource, type LocalFileLike } from './source';
import { TEST_ENDPOINT, fakeHub } from './testing/fixture-server';

beforeAll(async () => {
  await initBackend('cpu');
});

const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors', 'modules.json', 'sentence_bert_config.json', '1_Pooling/config.json'];
const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** Local files as a folder pick gives them (webkitRelativePath keeps 1_Pooling/), with some replaced or left out. */
function localFiles(override: Record<string, Uint8Array | null> = {}): LocalFileLike[] {
  const names = [...new Set([...FILES, ...Object.keys(override)])];
  return names
    .filter((n) => override[n] !== null)
    .map((n) => {
      const bytes = override[n] ?? tinyBertFile(n);
      return { name: n.split('/').pop() as string, webkitRelativePath: `tiny-bert-st/${n}`, arrayBuffer: async () => bytes.slice().buffer };
    });
}

function embedTexts(loaded: Awaited<ReturnType<typeof loadEncoderCheckpoint>>): Float32Array {
  const embedder = bertEmbedderOf(loaded);
  const batch = embedder.tokenize(golden.texts);
  const e = embedder.embed(batch);
  const out = e.dataSync() as Float32Array;
  tf.dispose([batch.ids, batch.mask, e]);
  embedder.model.dispose();
  return out;
}

describe('loadEncoderCheckpoint', () => {
  it('from the Hub: an Embedder with the pooling and normalisation its sentence-transformers files say', async () => {
    const hub = fakeHub();
    const loaded = await loadEncoderCheckpoint(new HubSource({ repo: TINY_BERT_REPO, endpoint: TEST_ENDPOINT, fetch: hub.fetch }));
    expect(hub.requests).toContain('1_Pooling/config.json');
    expect(loaded.sentenceTransformers).toEqual({ pooling: 'mean', normalize: true, maxSeqLength: 16, doLowerCase: false, source: 'modules.json' });
    expect(loaded.identity.repo).toBe(TINY_BERT_REPO);
    expect(loaded.weights.has('pooler.dense.weight')).toBe(true);
    const embedder = bertEmbedderOf(loaded);
    expect([embedder.kind, embedder.pooling, embedder.normalize, embedder.dimension, embedder.maxLength]).toEqual(['bert', 'mean', true, 16, 16]);
    embedder.model.dispose();
    expect(scaledError(embedTexts(loaded), golden.base.meanNormalized)).toBeLessThan(1e-4);
  });

  it('from local files picked as a folder (1_Pooling/config.json kept apart from config.json)', async () => {
    const loaded = await loadEncoderCheckpoint(new LocalFilesSource(localFiles()));
    expect(loaded.identity.nameSource).toBe('hash');
    expect(scaledError(embedTexts(loaded), golden.base.meanNormalized)).toBeLessThan(1e-4);
  });

  it('follows the pooling config (cls, no Normalize) and takes a plain BertModel repo with sentence-transformers defaults', async () => {
    const cls = { ...(tinyBertJson('1_Pooling/config.json') as object), pooling_mode_cls_token: true, pooling_mode_mean_tokens: false };
    const modules = (tinyBertJson('modules.json') as unknown[]).slice(0, 2);
    const loaded = await loadEncoderCheckpoint(new LocalFilesSource(localFiles({ '1_Pooling/config.json': encode(cls), 'modules.json': encode(modules) })));
    expect(loaded.sentenceTransformers).toMatchObject({ pooling: 'cls', normalize: false });
    expect(scaledError(embedTexts(loaded), golden.base.cls)).toBeLessThan(1e-4);
    const plain = await loadEncoderCheckpoint(new LocalFilesSource(localFiles({ 'modules.json': null, '1_Pooling/config.json': null, 'sentence_bert_config.json': null })));
    expect(plain.sentenceTransformers).toEqual({ pooling: 'mean', normalize: false, maxSeqLength: null, doLowerCase: false, source: 'default' });
    expect(scaledError(embedTexts(plain), golden.base.mean)).toBeLessThan(1e-4);
  });

  it('skips integer position_ids buffers and reads "bert."-prefixed weights', async () => {
    const weights = new Map([...tinyBertWeights()].map(([n, w]) => [`bert.${n}`, w]));
    const bytes = writeSafetensors(weights, { format: 'pt' });
    // Splice an I64 buffer in by hand, as older checkpoints carry one.
    const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, { data_offsets: number[] }>;
    const dataLength = bytes.length - 8 - headerLength;
    header['bert.embeddings.position_ids'] = { dtype: 'I64', shape: [1, 2], data_offsets: [dataLength, dataLength + 16] } as never;
    const newHeader = new TextEncoder().encode(JSON.stringify(header).padEnd(Math.ceil((JSON.stringify(header).length + 2) / 8) * 8, ' '));
    const out = new Uint8Array(8 + newHeader.length + dataLength + 16);
    new DataView(out.buffer).setBigUint64(0, BigInt(newHeader.length), true);
    out.set(newHeader, 8);
    out.set(bytes.subarray(8 + headerLength), 8 + newHeader.length);
    const loaded = await loadEncoderCheckpoint(new LocalFilesSource(localFiles({ 'model.safetensors': out })));
    expect(loaded.weights.has('bert.embeddings.position_ids')).toBe(false);
    expect(scaledError(embedTexts(loaded), golden.base.meanNormalized)).toBeLessThan(1e-4);
  });

  it.each([
    ['a RoBERTa config', { 'config.json': { ...(tinyBertJson('config.json') as object), model_type: 'roberta', architectures: ['RobertaModel'] } }, /RoBERTa/],
    ['relative position embeddings', { 'config.json': { ...(tinyBertJson('config.json') as object), position_embedding_type: 'relative_key' } }, /position_embedding_type "relative_key"/],
    ['a Dense module', { 'modules.json': [...(tinyBertJson('modules.json') as object[]), { idx: 3, name: '3', path: '3_Dense', type: 'sentence_transformers.models.Dense' }] }, /Dense module/],
    ['max pooling', { '1_Pooling/config.json': { word_embedding_dimension: 16, pooling_mode_mean_tokens: false, pooling_mode_max_tokens: true } }, /"max" is not supported/],
    ['concatenated pooling', { '1_Pooling/config.json': { word_embedding_dimension: 16, pooling_mode_mean_tokens: true, pooling_mode_cls_token: true } }, /cls \+ mean together/],
    ['a pooling width that is not the model', { '1_Pooling/config.json': { word_embedding_dimension: 384, pooling_mode_mean_tokens: true } }, /word_embedding_dimension 384.*hidden_size is 16/],
  ])('refuses %s with a message naming it', async (_, override, pattern) => {
    const files = Object.fromEntries(Object.entries(override).map(([n, v]) => [n, encode(v)]));
    await expect(loadEncoderCheckpoint(new LocalFilesSource(localFiles(files)))).rejects.toThrow(pattern);
  });

  it('refuses a missing pooling folder, telling the user to pick the folder', async () => {
    await expect(loadEncoderCheckpoint(new LocalFilesSource(localFiles({ '1_Pooling/config.json': null })))).rejects.toThrow(/no 1_Pooling\/config\.json/);
  });

  it('tells encoders from causal LMs by config.json', () => {
    expect(checkpointKind(tinyBertJson('config.json'))).toBe('encoder');
    expect(checkpointKind({ model_type: 'xlm-roberta' })).toBe('encoder');
    expect(checkpointKind({ model_type: 'qwen2' })).toBe('causal-lm');
  });
});
