// Loads an experiment's base model: a shipped Tiny World folder (HF layout) or a small seed-initialised model for tests.
import { parseModelConfig } from '../hub/architecture';
import { readSafetensors } from '../io/safetensors-read';
import { createModel } from '../models/causal-lm';
import { loadTokenizer } from '../tokenizers/load';
import type { ExperimentBase } from './cell-runner';
import { missingBase, seedBaseConfig, SEED_BASE_INIT, SEED_BASE_PREFIX, seedBaseTokenizer, seedRecipe, type ReadModelFile } from './base-sha';
import { weightsSha256 } from './identity';

export { baseWeightsSha256, SEED_BASE_PREFIX, seedBaseConfig, type ReadModelFile } from './base-sha';

async function seedBase(id: string): Promise<ExperimentBase> {
  const tokenizer = seedBaseTokenizer();
  const config = seedBaseConfig(tokenizer.vocabSize);
  const model = createModel(config, { seed: SEED_BASE_INIT });
  const weights = model.exportWeights();
  model.dispose();
  return { id, config, weights, tokenizer, weightsSha256: await seedRecipe(id) };
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
