// Base model choice: the pretrained Tiny World bases shipped in public/models, or tiny GPT-2s initialised from a seed.
import type { TinyModelSpec } from '../../contract';
import type { LoadModelSummary } from '../../contract';
import { isLocalModelId } from '../../storage/local-models';
import { persistChoice, readChoice } from './persisted.svelte';
import { chosenBeforeReload, restoreRemembered, type RememberedModel } from './remembered-model';

export const TINY_MODELS: TinyModelSpec[] = [
  { kind: 'tiny-gpt2', name: 'Nano GPT-2 (d 32, 2 layers)', n_embd: 32, n_layer: 2, n_head: 2, n_positions: 32, initSeed: 1 },
  { kind: 'tiny-gpt2', name: 'Micro GPT-2 (d 64, 4 layers)', n_embd: 64, n_layer: 4, n_head: 4, n_positions: 64, initSeed: 1 },
  { kind: 'tiny-gpt2', name: 'Small GPT-2 (d 128, 4 layers)', n_embd: 128, n_layer: 4, n_head: 4, n_positions: 64, initSeed: 1 },
];

/** Shapes from public/models/<id>/config.json (the worker loads the real files; these feed the picker and estimate). */
export const TINY_WORLD_MODELS: TinyModelSpec[] = [
  { kind: 'tiny-world', baseId: 'tiny-world-800k', name: 'Tiny World 800k (pretrained, d 128, 4 layers)', n_embd: 128, n_layer: 4, n_head: 4, n_positions: 64, initSeed: 0 },
  { kind: 'tiny-world', baseId: 'tiny-world-400k', name: 'Tiny World 400k (pretrained, d 128, 2 layers; twice as fast)', n_embd: 128, n_layer: 2, n_head: 4, n_positions: 64, initSeed: 0 },
  { kind: 'tiny-world', baseId: 'tiny-world-ctx256-840k', name: 'Tiny World ctx256 840k (pretrained, d 128, 4 layers, context 256)', n_embd: 128, n_layer: 4, n_head: 4, n_positions: 256, initSeed: 0 },
  { kind: 'tiny-world', baseId: 'tiny-world-ctx256-440k', name: 'Tiny World ctx256 440k (pretrained, d 128, 2 layers, context 256)', n_embd: 128, n_layer: 2, n_head: 4, n_positions: 256, initSeed: 0 },
  { kind: 'tiny-world', baseId: 'tiny-world-ctx256-70k', name: 'Tiny World ctx256 70k (pretrained, d 64, 1 layer, context 256)', n_embd: 64, n_layer: 1, n_head: 4, n_positions: 256, initSeed: 0 },
  { kind: 'tiny-world', baseId: 'tiny-world-ctx256-70k-nofact', name: 'Tiny World ctx256 70k without FACT (ablated, d 64, 1 layer, context 256)', n_embd: 64, n_layer: 1, n_head: 4, n_positions: 256, initSeed: 0 },
];
/** Character vocabulary size of the Tiny World tokenizer (WORLD_CHARS plus specials). */
export const TINY_WORLD_VOCAB = 80;

/** Longest training sequence for a loaded model (mirrors LOADED_MAX_SEQ_LEN in workers/helpers/base-model.ts). */
const LOADED_MAX_SEQ_LEN = 128;

/** The model loaded on the Models page as a training base (the worker checks its weights' hash before each job). */
export function loadedModelSpec(s: LoadModelSummary): TinyModelSpec {
  return {
    kind: 'loaded',
    baseId: s.label,
    weightsSha256: s.identity.weightsSha256,
    modelType: s.modelType,
    numParams: s.numParams,
    linearModules: s.linearModules,
    vocabSize: s.vocabSize,
    name: `${s.label} (loaded)`,
    n_embd: s.hidden,
    n_layer: s.layers,
    // The summary has no head count; it only feeds the attention term of the memory estimate.
    n_head: Math.max(1, Math.round(s.hidden / 64)),
    n_positions: Math.min(LOADED_MAX_SEQ_LEN, s.contextLength),
    initSeed: 0,
  };
}

/** Parameters of a GPT-2 with tied embeddings and a vocabulary of `vocab` tokens. */
export function gpt2ParameterCount(spec: TinyModelSpec, vocab: number): number {
  const d = spec.n_embd;
  const perLayer = 12 * d * d + 13 * d;
  return vocab * d + spec.n_positions * d + spec.n_layer * perLayer + 2 * d;
}

const LORA_SHAPES: Record<string, (d: number) => [number, number]> = {
  c_attn: (d) => [d, 3 * d],
  c_proj: (d) => [d, d],
  c_fc: (d) => [d, 4 * d],
};

/** LoRA A [in, r] and B [r, out] per targeted module per layer (GPT-2's c_proj names both attention and MLP output). */
export function loraParameterCount(spec: TinyModelSpec, r: number, targets: string[]): number {
  // A loaded model knows its own modules (Llama/Qwen2 names, grouped-query k/v, real MLP width).
  if (spec.linearModules) return spec.n_layer * spec.linearModules.filter((m) => targets.includes(m.name)).reduce((n, m) => n + r * (m.inFeatures + m.outFeatures), 0);
  const d = spec.n_embd;
  let perLayer = 0;
  for (const t of targets) {
    if (t === 'c_proj') perLayer += r * (d + d) + r * (4 * d + d);
    else if (LORA_SHAPES[t]) {
      const [i, o] = LORA_SHAPES[t](d);
      perLayer += r * (i + o);
    }
  }
  return perLayer * spec.n_layer;
}

/** A newcomer's base: the pretrained Tiny World 800k, which has skills to keep or lose (the README's default). */
export const DEFAULT_MODEL = TINY_WORLD_MODELS[0];
const MODEL_KEY = 'tunelab.model';

/**
 * The stored choice as a current spec: a shipped model by its name or folder, a model pretrained in this browser as
 * stored (checked against storage once the list is read); null for a Hub/local model, which lives only in the worker's
 * memory: ModelChoice.pending remembers it until it is loaded again (restoreRemembered).
 */
export function restoreModel(stored: unknown): TinyModelSpec | null {
  const s = stored as Partial<TinyModelSpec> | null;
  if (!s || typeof s !== 'object' || typeof s.name !== 'string') return null;
  if (s.kind === 'tiny-gpt2') return TINY_MODELS.find((m) => m.name === s.name) ?? null;
  if (s.kind !== 'tiny-world' || typeof s.baseId !== 'string') return null;
  const shipped = TINY_WORLD_MODELS.find((m) => m.baseId === s.baseId);
  if (shipped) return shipped;
  return isLocalModelId(s.baseId) && typeof s.n_embd === 'number' && typeof s.n_layer === 'number' ? (s as TinyModelSpec) : null;
}

export class ModelChoice {
  #spec = $state<TinyModelSpec>(readChoice(MODEL_KEY, DEFAULT_MODEL, restoreModel));
  /**
   * A Hub/local model chosen before the reload and not loaded again yet: it stays the choice (shown by name, training
   * refused) until it is loaded again or the user picks another base. `spec` holds the fallback meanwhile.
   */
  pending = $state.raw<RememberedModel | null>(readChoice(MODEL_KEY, null, restoreRemembered));
  /** The model loaded on this page (Hub or local files), pickable as a base while the worker keeps it. */
  loaded = $state<TinyModelSpec | null>(null);
  /** Where `loaded` came from, remembered as the choice while it is the base. */
  loadedFrom = $state.raw<RememberedModel | null>(null);

  constructor() {
    persistChoice(MODEL_KEY, () => {
      if (this.pending) return { kind: 'loaded', remembered: this.pending };
      if (this.#spec.kind === 'loaded') return this.loadedFrom ? { kind: 'loaded', remembered: this.loadedFrom } : null;
      return this.#spec;
    });
  }

  /** The base model of new runs; remembered across reloads. Choosing one drops a pending choice. */
  get spec(): TinyModelSpec {
    return this.#spec;
  }

  set spec(value: TinyModelSpec) {
    this.pending = null;
    this.#spec = value;
  }

  /** The chosen model's name as the strip and the Train page show it (a pending one with what to do). */
  get shownName(): string {
    return this.pending ? chosenBeforeReload(this.pending) : this.#spec.name;
  }

  /** A model just loaded on the Models page becomes the base (and is what a reload brings back). */
  chooseLoaded(spec: TinyModelSpec, from: RememberedModel): void {
    this.loaded = spec;
    this.loadedFrom = from;
    this.spec = spec;
  }

  /** A remembered model pretrained in this browser that was deleted since falls back to the default. */
  forgetMissing(localIds: string[]): void {
    const id = this.#spec.baseId;
    if (this.#spec.kind === 'tiny-world' && id && isLocalModelId(id) && !localIds.includes(id)) this.spec = DEFAULT_MODEL;
  }
}
