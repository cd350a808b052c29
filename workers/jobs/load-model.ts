// Worker job: load a Hub or local checkpoint (cached, with download progress), check it fits, build the model, keep it.
import type { LoadModelInput, LoadModelProgress, LoadModelSummary } from '../../src/contract';
import { bufferLimitBytes } from '../../src/engine/backend/buffer-limit';
import { EngineUnavailableError, JobCancelledError } from '../../src/engine/errors';
import { HubSource, LocalFilesSource, loadCheckpoint, checkGpuFit, type CheckpointSource } from '../../src/engine/hub';
import { createModel } from '../../src/engine/models/causal-lm';
import { loadTokenizer } from '../../src/engine/tokenizers';
import { chatTemplateOf, type TokenizerConfigJson } from '../../src/engine/tokenizers/special-roles';
import { readHubToken } from '../../src/storage/hub-token';
import { browserModelCache } from '../../src/storage/model-cache';
import { loadedModel, setLoadedModel } from '../helpers/loaded-model';

async function sourceOf(input: LoadModelInput, signal: AbortSignal, onProgress: (p: LoadModelProgress) => void): Promise<CheckpointSource> {
  if (input.kind === 'files') return new LocalFilesSource(input.files, input.name);
  return new HubSource({
    repo: input.repo,
    revision: input.revision,
    endpoint: input.endpoint,
    token: await readHubToken(), // read here, never passed in the job's input

    cache: browserModelCache(),
    signal,
    onProgress: (p) => onProgress({ ...p, stage: 'download' }),
  });
}

export async function loadModelJob(input: LoadModelInput, signal: AbortSignal, onProgress: (p: LoadModelProgress) => void): Promise<LoadModelSummary> {
  const source = await sourceOf(input, signal, onProgress);
  const checkpoint = await loadCheckpoint(source);
  if (signal.aborted) throw new JobCancelledError('Loading the model was cancelled.', 'Load it again; downloaded files are cached.');
  const limit = bufferLimitBytes();
  const fit = Number.isFinite(limit) ? checkGpuFit(checkpoint.config, { maxStorageBufferBindingSize: limit, maxBufferSize: limit }, { batchSize: 1, maxSeqLen: 256 }) : null;
  const tokenizer = loadTokenizer(checkpoint.tokenizerJson, checkpoint.tokenizerConfig ?? undefined);
  onProgress({ file: 'model', loaded: 0, total: null, bytesPerSecond: 0, etaSeconds: null, resumes: 0, fromCache: false, stage: 'build' });
  const model = createModel(checkpoint.config, checkpoint.weights);
  setLoadedModel({ checkpoint, model, tokenizer });
  const d = model.dims;
  return {
    // Local files go by the name their identity got (given, config.json's _name_or_path, or the weights' hash).
    label: source.local ? `${checkpoint.identity.repo} (local files)` : source.label,
    modelType: checkpoint.config.model_type,
    numParams: model.numParams,
    vocabSize: d.vocabSize,
    layers: d.layers,
    hidden: d.hidden,
    contextLength: d.maxPositions,
    dtypes: checkpoint.dtypes,
    files: checkpoint.files,
    downloaded: source instanceof HubSource ? [...source.downloaded] : [],
    identity: checkpoint.identity,
    hasChatTemplate: chatTemplateOf((checkpoint.tokenizerConfig ?? {}) as TokenizerConfigJson) !== undefined,
    fit,
    linearModules: model.linearModules
      .filter((m) => /\.(h|layers)\.0\./.test(m.module))
      .map((m) => ({ name: m.module.split('.').pop() as string, inFeatures: m.inFeatures, outFeatures: m.outFeatures })),
    splitTables: [...model.splitTables.values()].map((t) => ({ name: t.name, shape: t.shape, chunks: t.chunks.length, limitBytes: limit })),
  };
}

/** Logits [T, V] (row-major) of the loaded model for `text`; e2e compares split and unsplit models with it. */
export async function logitsOf(text: string): Promise<Float32Array> {
  const current = loadedModel();
  if (!current) throw new EngineUnavailableError('No model is loaded.', 'Load a model on the Models page first.');
  const ids = current.tokenizer.encode(text, { addSpecialTokens: false });
  const logits = current.model.logits(Int32Array.from(ids), 1, ids.length);
  try {
    // data(), not dataSync(): a synchronous read of a WebGPU buffer in a worker comes back as zeros here.
    return (await logits.data()) as Float32Array;
  } finally {
    logits.dispose();
  }
}

/** Greedy next-token check the UI (and e2e) can show: the top token after `text`, from the loaded model. */
export async function nextTokenOf(text: string): Promise<{ id: number; token: string }> {
  const current = loadedModel();
  if (!current) throw new EngineUnavailableError('No model is loaded.', 'Load a model on the Models page first.');
  const ids = current.tokenizer.encode(text, { addSpecialTokens: false });
  const data = await logitsOf(text);
  const V = current.model.dims.vocabSize;
  let best = 0;
  for (let v = 1; v < V; v++) if (data[(ids.length - 1) * V + v] > data[(ids.length - 1) * V + best]) best = v;
  return { id: best, token: current.tokenizer.decode([best]) };
}
