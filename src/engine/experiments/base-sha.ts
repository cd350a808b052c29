// A base's identity without building it (pure: no tfjs): the sha-256 of a shipped base's weights file or a seed base's
// recipe, and the seed base's recipe itself. The page names its stored experiments by it.
import { ModelConfigError } from '../errors';
import type { Gpt2Config } from '../models/config';
import { buildCharTokenizerJson } from '../tokenizers/char-tokenizer-json';
import { loadTokenizer } from '../tokenizers/load';
import { WORLD_CHARS } from '../world';
import { seedBaseSha256, weightsSha256 } from './identity';

/** Reads a file of a model folder; null when it does not exist. */
export type ReadModelFile = (modelId: string, fileName: string) => Promise<Uint8Array | null>;

export const SEED_BASE_PREFIX = 'seed:';

/** A 2-layer, d 32 character GPT-2 over the Tiny World characters: untrained, for tests and smoke runs only. */
export function seedBaseConfig(vocabSize: number): Gpt2Config {
  return {
    model_type: 'gpt2',
    vocab_size: vocabSize,
    n_positions: 64,
    n_embd: 32,
    n_layer: 2,
    n_head: 2,
    n_inner: null,
    layer_norm_epsilon: 1e-5,
    activation_function: 'gelu_new',
    bos_token_id: 1,
    eos_token_id: 1,
  };
}


export const SEED_BASE_INIT = 7;

export function seedBaseTokenizer() {
  return loadTokenizer(buildCharTokenizerJson(WORLD_CHARS));
}

export function seedRecipe(id: string): Promise<string> {
  return seedBaseSha256(id, { config: seedBaseConfig(seedBaseTokenizer().vocabSize), init: SEED_BASE_INIT, chars: WORLD_CHARS });
}

/**
 * sha-256 of a base's weights without building it (the page names its stored experiments by it): the bytes of
 * model.safetensors, or a seed base's recipe.
 */
export async function baseWeightsSha256(id: string, read: ReadModelFile): Promise<string> {
  if (id.startsWith(SEED_BASE_PREFIX)) return seedRecipe(id);
  const bytes = await read(id, 'model.safetensors');
  if (!bytes) throw missingBase(id);
  return weightsSha256(bytes);
}


export function missingBase(id: string): ModelConfigError {
  return new ModelConfigError(
    `The base model "${id}" is not in this build (public/models/${id}/ needs config.json, tokenizer.json and model.safetensors).`,
    `Pick another base, or use base=${SEED_BASE_PREFIX}tiny for an untrained test model.`,
  );
}
