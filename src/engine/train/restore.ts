// Puts a trainer checkpoint onto a model for inference: a LoRA adapter to pass to generate/score, or full weights assigned.
import { CheckpointError } from '../errors';
import { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import type { TrainerCheckpoint } from './checkpoint';

/**
 * LoRA runs: returns the adapter (the caller disposes it). Full fine-tuning runs: overwrites the model's weights
 * and returns null.
 */
export function restoreForInference(model: CausalLM, checkpoint: TrainerCheckpoint): LoraAdapter | null {
  if (checkpoint.base.modelType !== model.config.model_type || checkpoint.base.numParams !== model.numParams) {
    throw new CheckpointError('This checkpoint was made for a different base model.', 'Load the base model the run was trained on.');
  }
  if (checkpoint.options.method === 'lora') return LoraAdapter.fromWeights(model.linearModules, checkpoint.options.lora!, checkpoint.trainable);
  model.assignWeights(checkpoint.trainable);
  return null;
}
