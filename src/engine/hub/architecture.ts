// Reads config.json and refuses any architecture TuneLab does not run, naming what it found and what it supports.
import { ModelConfigError, UnsupportedArchitectureError } from '../errors';
import type { ModelConfig } from '../models/config';
import { modelDims } from '../models/dims';
import { refuseQwen3Variants } from '../models/qwen3';
import { knownVariantRefusal } from './known-variants';

/** HF class names (config.architectures) → our model_type. */
export const SUPPORTED_ARCHITECTURES: Readonly<Record<string, ModelConfig['model_type']>> = {
  GPT2LMHeadModel: 'gpt2',
  LlamaForCausalLM: 'llama',
  Qwen2ForCausalLM: 'qwen2',
  Qwen3ForCausalLM: 'qwen3',
  Gemma3ForCausalLM: 'gemma3_text',
};

const SUPPORTED_TEXT = 'GPT2LMHeadModel (gpt2), LlamaForCausalLM (llama: SmolLM2, TinyLlama), Qwen2ForCausalLM (qwen2), Qwen3ForCausalLM (qwen3) and Gemma3ForCausalLM (gemma3_text: Gemma 3 text)';

/** Parses and validates config.json; the result feeds createModel. */
export function parseModelConfig(json: unknown): ModelConfig {
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new ModelConfigError('config.json is not a JSON object.', 'Use the config.json from the model repository.');
  }
  const raw = json as Record<string, unknown>;
  const modelType = raw.model_type;
  const architectures = Array.isArray(raw.architectures) ? raw.architectures.map(String) : [];
  const supportedTypes = new Set(Object.values(SUPPORTED_ARCHITECTURES));
  refuseQwen3Variants(modelType, architectures);
  if (typeof modelType !== 'string' || !supportedTypes.has(modelType as ModelConfig['model_type'])) {
    const known = knownVariantRefusal(modelType, SUPPORTED_TEXT);
    if (known) throw known;
    const found = [architectures.join(', '), modelType !== undefined ? `model_type "${String(modelType)}"` : ''].filter(Boolean).join(', ') || 'no architecture';
    throw new UnsupportedArchitectureError(`This model is ${found}; TuneLab supports ${SUPPORTED_TEXT}.`, 'Pick a GPT-2, Llama-family, Qwen2 or Qwen3 checkpoint, e.g. HuggingFaceTB/SmolLM2-135M.');
  }
  const unsupported = architectures.filter((a) => !(a in SUPPORTED_ARCHITECTURES));
  if (architectures.length > 0 && unsupported.length === architectures.length) {
    throw new UnsupportedArchitectureError(`This model is ${unsupported.join(', ')} (model_type "${modelType}"); TuneLab supports ${SUPPORTED_TEXT}.`, 'TuneLab needs the causal-LM head class; pick a base or instruct checkpoint of a supported family.');
  }
  if (raw.quantization_config !== undefined) {
    throw new UnsupportedArchitectureError('This checkpoint is quantized (config.json has quantization_config); TuneLab loads F32, F16 and BF16 weights.', 'Pick the unquantized repository of the same model.');
  }
  if (modelType !== 'gpt2' && raw.rope_scaling != null) {
    throw new UnsupportedArchitectureError(`rope_scaling ${JSON.stringify(raw.rope_scaling)} is not supported; TuneLab implements plain rotary embeddings.`, 'Pick a model without rope_scaling (SmolLM2, TinyLlama, Qwen2.5-0.5B).');
  }
  const config = raw as unknown as ModelConfig;
  modelDims(config); // validates every size field with a message naming it
  return config;
}

/** The config fields that set each tensor dimension, for "config says hidden_size 576 but …" messages. */
export function sizeFields(config: ModelConfig): [string, number][] {
  const c = config as unknown as Record<string, unknown>;
  const names =
    config.model_type === 'gpt2'
      ? ['n_embd', 'vocab_size', 'n_positions', 'n_inner', 'n_head']
      : ['hidden_size', 'vocab_size', 'intermediate_size', 'num_attention_heads', 'num_key_value_heads', 'head_dim'];
  return names.filter((n) => typeof c[n] === 'number').map((n) => [n, c[n] as number]);
}
