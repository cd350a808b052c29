// A run's base model: the shipped Tiny World bases (fetched from the app's own origin) or a seed-initialised tiny GPT-2.
import { appUrl } from './app-url';
import { tokenizeRecord } from '../../src/engine/data';
import type { TokenizedExample } from '../../src/engine/data/example';
import { CheckpointLayoutError, EngineUnavailableError } from '../../src/engine/errors';
import { readSafetensors } from '../../src/engine/io';
import { LOCAL_REVISION, sha256OfBytes, type CheckpointIdentity } from '../../src/engine/hub';
import { TUNELAB_VERSION } from '../../src/engine/peft';
import type { ModelConfig, WeightMap } from '../../src/engine/models/config';
import { modelDims } from '../../src/engine/models/dims';
import { loadTokenizer, type Tokenizer } from '../../src/engine/tokenizers';
import type { DatasetRow, RunRecord } from '../../src/contract';
import { isLocalModelId, loadLocalModelFile, type LocalModelFile } from '../../src/storage/local-models';
import { rowRecord } from '../../src/storage/dataset-rows';
import { encodeRow } from '../../src/engine/tokenizers/char-vocab';
import { loadedModel } from './loaded-model';
import type { ModelSetup } from './engine-port';
import { modelSetupOf } from './model-setup';

export interface ShippedBase {
  id: string;
  config: ModelConfig;
  weights: WeightMap;
  tokenizer: Tokenizer;
  /** tokenizer.json as stored (merged exports write it back). */
  tokenizerJson: object;
  /** Who this base is, for PEFT exports and for refusing adapters of other bases: its path or name and its sha-256s. */
  identity: CheckpointIdentity;
}

/** What the train/evaluate/generate jobs need from a run's base: how to build it and how to tokenize rows for it. */
export interface RunBase {
  setup: ModelSetup;
  /** Null for seed-initialised runs (their char vocabulary lives in the run record). */
  tokenizer: Tokenizer | null;
  /** The longest sequence the run trains on (the model's context, or LOADED_MAX_SEQ_LEN). */
  context: number;
  /** The row's tokens, cut to `maxSeqLen` (default: the context; Infinity keeps all, for the long-row policy). */
  encode(row: DatasetRow, maxSeqLen?: number): TokenizedExample;
}

const loaded = new Map<string, Promise<ShippedBase>>();

/** public/models/ relative to the worker script: dist/assets/… in a build, /workers/… on the dev server. */
function modelsRoot(): URL {
  return appUrl('models/');
}

async function fetchFile(id: string, file: LocalModelFile): Promise<Response> {
  if (isLocalModelId(id)) {
    // Pretrained in this browser (Models page): the same files, from IndexedDB.
    const bytes = await loadLocalModelFile(id, file);
    if (!bytes) throw new CheckpointLayoutError(`The base model ${id} is no longer stored in this browser (${file} is missing).`, 'It was deleted on the Storage page: pick another base model, or pretrain it again.');
    return new Response(bytes);
  }
  const url = new URL(`${id}/${file}`, modelsRoot());
  const response = await fetch(url);
  if (!response.ok) throw new CheckpointLayoutError(`The base model file ${id}/${file} could not be fetched (HTTP ${response.status}).`, 'Reload the page; if it persists the app was deployed without public/models.');
  return response;
}

/**
 * The name a Tiny World base goes by in lineage and in base_model_name_or_path: a shipped base's folder in the TuneLab
 * repository (from_pretrained reads it from a checkout), or the id of a model pretrained in this browser.
 */
export function tinyWorldBaseName(id: string): string {
  return isLocalModelId(id) ? id : `public/models/${id}`;
}

async function fetchShipped(id: string): Promise<ShippedBase> {
  const [config, tokenizerBytes, weightBytes] = await Promise.all([
    fetchFile(id, 'config.json').then((r) => r.json() as Promise<ModelConfig>),
    fetchFile(id, 'tokenizer.json').then((r) => r.arrayBuffer()),
    fetchFile(id, 'model.safetensors').then((r) => r.arrayBuffer()),
  ]);
  const tokenizerJson = JSON.parse(new TextDecoder().decode(tokenizerBytes)) as object;
  const identity: CheckpointIdentity = {
    repo: tinyWorldBaseName(id),
    revision: isLocalModelId(id) ? LOCAL_REVISION : `tunelab-${TUNELAB_VERSION}`,
    commit: null,
    weightsSha256: await sha256OfBytes(new Uint8Array(weightBytes)),
    tokenizerSha256: await sha256OfBytes(new Uint8Array(tokenizerBytes)),
    nameSource: 'shipped',
  };
  return { id, config, weights: readSafetensors(new Uint8Array(weightBytes)), tokenizer: loadTokenizer(tokenizerJson), tokenizerJson, identity };
}

/** The shipped base `id` (files under public/models/id/), fetched once per worker and kept. */
export function shippedBase(id: string): Promise<ShippedBase> {
  let base = loaded.get(id);
  if (!base) {
    base = fetchShipped(id);
    base.catch(() => loaded.delete(id));
    loaded.set(id, base);
  }
  return base;
}

/** Longest training sequence for a loaded Hub/local model (their contexts, e.g. 1024, would not fit a browser's memory). */
export const LOADED_MAX_SEQ_LEN = 128;

/** Prompt (weight 0) + completion (weight 1) through the base's own tokenizer; Tiny World bases never saw EOS (appendEos false). */
export function encodeWithTokenizer(row: DatasetRow, tokenizer: Tokenizer, maxSeqLen: number, appendEos = false): TokenizedExample {
  const example = tokenizeRecord({ kind: 'prompt-completion', line: 0, prompt: row.prompt, completion: row.completion, cohort: row.cohort }, tokenizer, {
    maxSeqLen,
    appendEos,
  });
  return { ...example, id: row.id, cohort: row.cohort };
}

/**
 * A row as its own record (chat rows keep their messages and per-message weights) through a Hub/local model's
 * tokenizer: conversations are rendered with the model's chat template when it has one, as at chat time; EOS appended.
 */
export function encodeRecordWithTokenizer(row: DatasetRow, tokenizer: Tokenizer, maxSeqLen: number): TokenizedExample {
  const example = tokenizeRecord(rowRecord(row), tokenizer, { maxSeqLen, appendEos: true });
  return { ...example, id: row.id, cohort: row.cohort };
}

/**
 * A preference row as its pair (prompt + chosen, with prompt + rejected beside it), each side encoded like a
 * prompt/completion row; any other row as `encode` makes it.
 */
export function encodePair(row: DatasetRow, encode: (row: DatasetRow) => TokenizedExample): TokenizedExample {
  const chosen = encode(row);
  if (row.kind !== 'preference' || row.rejected === undefined) return chosen;
  const rejected = encode({ ...row, completion: row.rejected });
  return { ...chosen, rejected: { ids: rejected.ids, weights: rejected.weights, ...(rejected.truncated && { truncated: true }) } };
}

export async function runBaseOf(run: Pick<RunRecord, 'model' | 'vocab' | 'hyper'>): Promise<RunBase> {
  const setup = modelSetupOf(run);
  if (run.model.kind === 'loaded') {
    const loaded = loadedModel();
    if (!loaded || loaded.checkpoint.identity.weightsSha256 !== run.model.weightsSha256) {
      throw new EngineUnavailableError(`This run fine-tunes ${run.model.baseId ?? 'a loaded model'}, which is not the model loaded now.`, `Load ${run.model.baseId ?? 'that model'} again on the Models page (“Load again”; for local files, drop them again), then try again.`);
    }
    const maxSeqLen = Math.min(LOADED_MAX_SEQ_LEN, loaded.model.dims.maxPositions);
    return {
      setup: { ...setup, config: loaded.checkpoint.config, weights: loaded.checkpoint.weights },
      tokenizer: loaded.tokenizer,
      context: maxSeqLen,
      encode: (row, max = maxSeqLen) => encodeRecordWithTokenizer(row, loaded.tokenizer, max),
    };
  }
  if (run.model.kind !== 'tiny-world') {
    const context = run.model.n_positions;
    return { setup, tokenizer: null, context, encode: (row, max = context) => encodePair(row, (r) => encodeRow(r, run.vocab, max)) };
  }
  const base = await shippedBase(run.model.baseId ?? 'tiny-world-800k');
  const maxSeqLen = modelDims(base.config).maxPositions;
  return {
    setup: { ...setup, config: base.config, weights: base.weights },
    tokenizer: base.tokenizer,
    context: maxSeqLen,
    encode: (row, max = maxSeqLen) => encodePair(row, (r) => encodeWithTokenizer(r, base.tokenizer, max)),
  };
}
