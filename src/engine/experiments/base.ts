// Loads an experiment's base model: a shipped Tiny World folder (HF layout) or a small seed-initialised model for tests.
import { ModelConfigError } from '../errors';
import { parseModelConfig } from '../hub/architecture';
import { readSafetensors } from '../io/safetensors-read';
import { createModel } from '../models/causal-lm';
import type { Gpt2Config } from '../models/config';
import { buildCharTokenizerJson } from '../tokenizers/char-tokenizer-json';
import { loadTokenizer } from '../tokenizers/load';
import { WORLD_CHARS } from '../world';
import type { ExperimentBase } from './cell-runner';
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

const SEED_BASE_INIT = 7;

function seedBaseTokenizer() {
  return loadTokenizer(buildCharTokenizerJson(WORLD_CHARS));
}

function seedRecipe(id: string): Promise<string> {
  return seedBaseSha256(id, { config: seedBaseConfig(seedBaseTokenizer().vocabSize), init: SEED_BASE_INIT, chars: WORLD_CHARS });
}

async function seedBase(id: string): Promise<ExperimentBase> {
  const tokenizer = seedBaseTokenizer();
  const config = seedBaseConfig(tokenizer.vocabSize);
  const model = createModel(config, { seed: SEED_BASE_INIT });
  const weights = model.exportWeights();
  model.dispose();
  return { id, config, weights, tokenizer, weightsSha256: await seedRecipe(id) };
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

function missingBase(id: string): ModelConfigError {
  return new ModelConfigError(
    `The base model "${id}" is not in this build (public/models/${id}/ needs config.json, tokenizer.json and model.safetensors).`,
    `Pick another base, or use base=${SEED_BASE_PREFIX}tiny for an untrained test model.`,
  );
}

function json(bytes: Uint8Array): unknown {
  return JSON.parse(new TextDecoder().decode(bytes));
}

export async function loadExperimentBase(id: string, read: ReadModelFile): Promise<ExperimentBase> {
  if (id.startsWith(SEED_BASE_PREFIX)) return seedBase(id);
  const [config, tokenizer, weights] = await Promise.all(['config.json', 'tokenizer.json', 'model.safetensors'].map((f) => read(id, f)));
  if (!config || !tokenizer || !weights) throw missingBase(id);
  return { id, config: parseModelConfig(json(config)), weights: readSafetensors(weights), tokenizer: loadTokenizer(json(tokenizer) as object), weightsSha256: await weightsSha256(weights) };
}
