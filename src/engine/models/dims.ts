// Validates a Hugging Face-shaped model config and reduces it to the dimensions the forward pass needs.
import { ModelConfigError, UnsupportedArchitectureError } from '../errors';
import type { Gemma3TextConfig, Gpt2Config, LlamaConfig, ModelConfig } from './config';
import { qwen3AsLlama } from './qwen3';
import { gemma3Dims, type Gemma3Dims } from './gemma3-config';

export interface ModelDims {
  family: 'gpt2' | 'llama' | 'gemma3';
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  maxPositions: number;
  normEps: number;
  ropeTheta: number;
  tiedEmbeddings: boolean;
  qkvBias: boolean;
  oBias: boolean;
  /** Qwen3: RMSNorm over each q and k head (q_norm/k_norm, [head_dim]) before rotary. */
  qkNorm?: boolean;
  /** Gemma 3 only: sliding-window layers, their rotary base, attention and embedding scales. */
  gemma3?: Gemma3Dims;
}

export function positiveInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ModelConfigError(`config.${field} must be a positive integer, got ${JSON.stringify(value)}.`, 'Check config.json against the model card.');
  }
  return value;
}

export function positiveNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ModelConfigError(`config.${field} must be a positive number, got ${JSON.stringify(value)}.`, 'Check config.json against the model card.');
  }
  return value;
}

function gpt2Dims(c: Gpt2Config): ModelDims {
  const hidden = positiveInt(c.n_embd, 'n_embd');
  const heads = positiveInt(c.n_head, 'n_head');
  if (hidden % heads !== 0) throw new ModelConfigError(`n_embd ${hidden} is not divisible by n_head ${heads}.`, 'Use a head count that divides the width.');
  if (c.activation_function && c.activation_function !== 'gelu_new') {
    throw new UnsupportedArchitectureError(`GPT-2 activation "${c.activation_function}" is not supported.`, 'Only gelu_new (tanh GELU), as in the released GPT-2 models, is implemented.');
  }
  return {
    family: 'gpt2',
    vocabSize: positiveInt(c.vocab_size, 'vocab_size'),
    hidden,
    layers: positiveInt(c.n_layer, 'n_layer'),
    heads,
    kvHeads: heads,
    headDim: hidden / heads,
    intermediate: c.n_inner == null ? 4 * hidden : positiveInt(c.n_inner, 'n_inner'),
    maxPositions: positiveInt(c.n_positions, 'n_positions'),
    normEps: positiveNumber(c.layer_norm_epsilon, 'layer_norm_epsilon'),
    ropeTheta: 0,
    tiedEmbeddings: true,
    qkvBias: true,
    oBias: true,
  };
}

function llamaDims(c: LlamaConfig): ModelDims {
  const hidden = positiveInt(c.hidden_size, 'hidden_size');
  const heads = positiveInt(c.num_attention_heads, 'num_attention_heads');
  const kvHeads = c.num_key_value_heads == null ? heads : positiveInt(c.num_key_value_heads, 'num_key_value_heads');
  if (heads % kvHeads !== 0) throw new ModelConfigError(`num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}.`, 'Check config.json.');
  const headDim = c.head_dim == null ? hidden / heads : positiveInt(c.head_dim, 'head_dim');
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) throw new ModelConfigError(`head dimension ${headDim} must be an even integer for rotary embeddings.`, 'Check hidden_size, num_attention_heads and head_dim.');
  const ropeScaling = (c as { rope_scaling?: unknown }).rope_scaling;
  if (ropeScaling != null) {
    throw new UnsupportedArchitectureError('config.rope_scaling is set; scaled rotary embeddings are not implemented.', 'Use a model without rope_scaling (SmolLM2, TinyLlama, Qwen2.5-0.5B).');
  }
  if (c.hidden_act && c.hidden_act !== 'silu') throw new UnsupportedArchitectureError(`hidden_act "${c.hidden_act}" is not supported.`, 'Only SwiGLU (silu) MLPs are implemented.');
  const qwen = c.model_type === 'qwen2';
  return {
    family: 'llama',
    vocabSize: positiveInt(c.vocab_size, 'vocab_size'),
    hidden,
    layers: positiveInt(c.num_hidden_layers, 'num_hidden_layers'),
    heads,
    kvHeads,
    headDim,
    intermediate: positiveInt(c.intermediate_size, 'intermediate_size'),
    maxPositions: positiveInt(c.max_position_embeddings, 'max_position_embeddings'),
    normEps: positiveNumber(c.rms_norm_eps, 'rms_norm_eps'),
    ropeTheta: c.rope_theta == null ? 10000 : positiveNumber(c.rope_theta, 'rope_theta'),
    tiedEmbeddings: c.tie_word_embeddings ?? false, // HF's default for both Llama and Qwen2
    qkvBias: qwen || c.attention_bias === true,
    oBias: !qwen && c.attention_bias === true,
  };
}

export function modelDims(config: ModelConfig): ModelDims {
  const type = (config as { model_type?: unknown }).model_type;
  if (type === 'gpt2') return gpt2Dims(config as Gpt2Config);
  if (type === 'llama' || type === 'qwen2') return llamaDims(config as LlamaConfig);
  if (type === 'qwen3') return { ...llamaDims(qwen3AsLlama(config as LlamaConfig)), qkNorm: true };
  if (type === 'gemma3_text') return gemma3Dims(config as Gemma3TextConfig);
  throw new UnsupportedArchitectureError(`model_type "${String(type)}" is not supported.`, 'TuneLab runs gpt2, llama (SmolLM2, TinyLlama), qwen2, qwen3 and gemma3_text (Gemma 3 text) models.');
}
