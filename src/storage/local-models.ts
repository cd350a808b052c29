// Base models pretrained in this browser: their Hugging Face-layout files in the "models" store, one record per file.
import { openTuneLabDb } from './db';
import { guardQuota } from './quota';
import type { ModelFileRecord } from '../contract';

/** Ids of local models start with this, so the worker knows to read them from storage, not from public/models. */
export const LOCAL_MODEL_PREFIX = 'pretrained-';
export const LOCAL_MODEL_FILES = ['config.json', 'tokenizer.json', 'model.safetensors', 'training.json'] as const;
export type LocalModelFile = (typeof LOCAL_MODEL_FILES)[number];

/** training.json of a local model: the recipe and what came out (same score shape as the shipped models' cards). */
export interface LocalModelCard {
  model: string;
  /** Name shown in the model list. */
  name: string;
  parameters: number;
  architecture: { n_layer: number; n_embd: number; n_head: number; n_positions: number; vocab_size: number };
  recipe: {
    preset: string;
    seed: number;
    steps: number;
    batchSize: number;
    learningRate: number;
    warmupSteps: number;
    schedule: string;
    weightDecay: number;
    gradClip: number;
    seqLen: number;
    mix: Record<string, number>;
    generator: string;
  };
  /** The run that trained it (its curves stay on the Models page until the run is deleted). */
  runId: string;
  tokens_trained: number;
  train_seconds: number;
  /** Compute backend and adapter, in words. */
  hardware: string;
  /** Exact match per skill at the last step, on `n` held-out items each. */
  scores: Record<string, { exact_match: number; n: number }>;
  loss_curve: [number, number][];
  createdAt: number;
}

export interface LocalModelSummary {
  id: string;
  card: LocalModelCard;
  bytes: number;
}

export function isLocalModelId(id: string): boolean {
  return id.startsWith(LOCAL_MODEL_PREFIX);
}

const encodeJson = (value: unknown): ArrayBuffer => new TextEncoder().encode(JSON.stringify(value, null, 1)).buffer as ArrayBuffer;

/** Writes every file of a model in one transaction (all or nothing), replacing an earlier save of the same id. */
export async function saveLocalModel(id: string, files: { config: object; tokenizer: object; weights: Uint8Array; card: LocalModelCard }): Promise<void> {
  const now = Date.now();
  const data: Record<LocalModelFile, ArrayBuffer> = {
    'config.json': encodeJson(files.config),
    'tokenizer.json': encodeJson(files.tokenizer),
    'model.safetensors': files.weights.slice().buffer as ArrayBuffer,
    'training.json': encodeJson(files.card),
  };
  const db = await openTuneLabDb();
  await guardQuota(`the pretrained model “${files.card.name}”`, async () => {
    const tx = db.transaction('models', 'readwrite');
    const records: ModelFileRecord[] = LOCAL_MODEL_FILES.map((fileName) => ({ id: `${id}/${fileName}`, modelId: id, fileName, createdAt: now, bytes: data[fileName].byteLength, data: data[fileName] }));
    await Promise.all([...records.map((r) => tx.store.put(r)), tx.done]);
  });
}

/** One file's bytes, or null when the model (or that file) is not stored. */
export async function loadLocalModelFile(id: string, fileName: LocalModelFile): Promise<ArrayBuffer | null> {
  const record = await (await openTuneLabDb()).get('models', `${id}/${fileName}`);
  return record?.data ?? null;
}

export async function loadLocalModelCard(id: string): Promise<LocalModelCard | null> {
  const bytes = await loadLocalModelFile(id, 'training.json');
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as LocalModelCard) : null;
}

/** Every complete local model, newest first (reads only the small training.json of each). */
export async function listLocalModels(): Promise<LocalModelSummary[]> {
  const db = await openTuneLabDb();
  const files = new Map<string, Set<string>>();
  for (const key of await db.getAllKeys('models')) {
    const [modelId, fileName] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
    if (!isLocalModelId(modelId)) continue;
    files.set(modelId, (files.get(modelId) ?? new Set()).add(fileName));
  }
  const out: LocalModelSummary[] = [];
  for (const [id, names] of files) {
    if (!LOCAL_MODEL_FILES.every((f) => names.has(f))) continue;
    const card = await loadLocalModelCard(id);
    const weights = await db.get('models', `${id}/model.safetensors`);
    if (card) out.push({ id, card, bytes: weights?.bytes ?? 0 });
  }
  return out.sort((a, b) => b.card.createdAt - a.card.createdAt);
}

/** Deletes every file of a local model in one transaction. */
export async function deleteLocalModel(id: string): Promise<void> {
  const db = await openTuneLabDb();
  const tx = db.transaction('models', 'readwrite');
  for (const key of await tx.store.index('modelId').getAllKeys(id)) await tx.store.delete(key);
  await tx.done;
}
