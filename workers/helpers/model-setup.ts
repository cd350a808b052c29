// Builds the engine's model setup (HF-shaped GPT-2 config, PEFT LoRA config) from a stored run.
import type { RunRecord } from '../../src/contract';
import { loraConfigOf } from '../../src/engine/train/settings';
import type { ModelSetup } from './engine-port';

export function modelSetupOf(run: Pick<RunRecord, 'model' | 'vocab' | 'hyper'>): ModelSetup {
  const { model, hyper } = run;
  return {
    config: {
      model_type: 'gpt2',
      vocab_size: run.vocab.length,
      n_positions: model.n_positions,
      n_embd: model.n_embd,
      n_layer: model.n_layer,
      n_head: model.n_head,
      n_inner: null,
      layer_norm_epsilon: 1e-5,
      activation_function: 'gelu_new',
      bos_token_id: 0,
      eos_token_id: 0,
    },
    initSeed: model.initSeed,
    method: hyper.method,
    lora: loraConfigOf(hyper.lora),
  };
}
