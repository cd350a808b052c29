// The embedder a retrieval job uses, from the page's choice: a shipped Tiny World base or the loaded model as a CausalLmEmbedder, or a BERT encoder from local files.
import type { EmbedderChoice } from '../../src/contract';
import { CausalLmEmbedder } from '../../src/engine/embed/causal-lm-embedder';
import type { TrainableEmbedder } from '../../src/engine/embed/contrastive-trainer';
import type { Pooling } from '../../src/engine/embed/embedder';
import { EngineUnavailableError } from '../../src/engine/errors';
import { createModel } from '../../src/engine/models/causal-lm';
import type { WeightMap } from '../../src/engine/models/config';
import { bertEmbedderOf } from '../../src/engine/embed/load-embedder';
import { loadEncoderCheckpoint } from '../../src/engine/hub/load-encoder';
import { LocalFilesSource } from '../../src/engine/hub/source';
import { shippedBase } from './base-model';
import { loadedModel } from './loaded-model';

export interface HeldEmbedder {
  embedder: TrainableEmbedder;
  /** Before full fine-tuning of a model the worker keeps (the loaded one): remember its weights so `release` restores them. */
  keepWeights(): Promise<void>;
  /** Restores kept weights, and frees a model built for this job alone. */
  release(): void;
}

export async function embedderOf(choice: EmbedderChoice, pooling: Pooling): Promise<HeldEmbedder> {
  if (choice.kind !== 'encoder-files' && pooling === 'cls') throw new EngineUnavailableError('A causal language model has no [CLS] token to pool.', 'Pick mean or last-token pooling.');
  if (choice.kind === 'encoder-files') {
    const embedder = bertEmbedderOf(await loadEncoderCheckpoint(new LocalFilesSource(choice.files, choice.name)));
    return { embedder, keepWeights: async () => {}, release: () => embedder.model.dispose() };
  }
  if (choice.kind === 'shipped') {
    const base = await shippedBase(choice.id);
    const model = createModel(base.config, base.weights);
    return { embedder: new CausalLmEmbedder(model, base.tokenizer, { pooling }), keepWeights: async () => {}, release: () => model.dispose() };
  }
  const loaded = loadedModel();
  if (!loaded) throw new EngineUnavailableError('No model is loaded in the worker.', 'Load a model on the Models page first, or pick a Tiny World base.');
  let saved: WeightMap | null = null;
  return {
    embedder: new CausalLmEmbedder(loaded.model, loaded.tokenizer, { pooling }),
    keepWeights: async () => {
      saved = await loaded.model.readWeights();
    },
    release: () => {
      if (saved) loaded.model.assignWeights(saved);
    },
  };
}
