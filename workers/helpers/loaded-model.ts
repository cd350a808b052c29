// The model the last load-model job produced, held for the worker's lifetime: the jobs and helpers that run on it read it here.
import type { LoadedCheckpoint } from '../../src/engine/hub';
import type { CausalLM } from '../../src/engine/models/causal-lm';
import type { Tokenizer } from '../../src/engine/tokenizers';

/** A loaded Hub or local checkpoint, built into a model, with its tokenizer. */
export interface LoadedModel {
  checkpoint: LoadedCheckpoint;
  model: CausalLM;
  tokenizer: Tokenizer;
}

let current: LoadedModel | null = null;

/** The loaded model, or null before any load. */
export function loadedModel(): LoadedModel | null {
  return current;
}

/** Keeps `next` as the loaded model and frees the previous one's weights. */
export function setLoadedModel(next: LoadedModel): void {
  current?.model.dispose();
  current = next;
}
