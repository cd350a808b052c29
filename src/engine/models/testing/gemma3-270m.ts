// Test data: google/gemma-3-270m's config.json (the shapes the memory estimate and dimension tests check).
import type { Gemma3TextConfig } from '../config';

/** google/gemma-3-270m's config.json, transcribed (not downloaded here): 18 layers, every 6th global, window 512. */
export const GEMMA3_270M: Gemma3TextConfig & Record<string, unknown> = {
  _sliding_window_pattern: 6,
  architectures: ['Gemma3ForCausalLM'],
  attention_bias: false,
  attention_dropout: 0.0,
  attn_logit_softcapping: null,
  bos_token_id: 2,
  eos_token_id: 1,
  final_logit_softcapping: null,
  head_dim: 256,
  hidden_activation: 'gelu_pytorch_tanh',
  hidden_size: 640,
  intermediate_size: 2048,
  layer_types: Array.from({ length: 18 }, (_, i) => ((i + 1) % 6 === 0 ? 'full_attention' : 'sliding_attention')),
  max_position_embeddings: 32768,
  model_type: 'gemma3_text',
  num_attention_heads: 4,
  num_hidden_layers: 18,
  num_key_value_heads: 1,
  pad_token_id: 0,
  query_pre_attn_scalar: 256,
  rms_norm_eps: 1e-6,
  rope_local_base_freq: 10000.0,
  rope_scaling: null,
  rope_theta: 1000000.0,
  sliding_window: 512,
  use_bidirectional_attention: false,
  vocab_size: 262144,
};
