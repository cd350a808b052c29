// Model configs that mirror Hugging Face config.json fields, so a Hub config.json parses straight into them.

export interface Gpt2Config {
  model_type: 'gpt2';
  vocab_size: number;
  n_positions: number;
  n_embd: number;
  n_layer: number;
  n_head: number;
  /** MLP width; HF's null means 4 × n_embd. */
  n_inner?: number | null;
  layer_norm_epsilon: number;
  activation_function?: 'gelu_new' | 'gelu';
  bos_token_id?: number;
  eos_token_id?: number;
}

export interface LlamaConfig {
  /** 'qwen2' is Llama with q/k/v biases; 'qwen3' is Llama with per-head q/k RMSNorm (models/qwen3.ts). */
  model_type: 'llama' | 'qwen2' | 'qwen3';
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  /** Grouped-query attention; defaults to num_attention_heads. */
  num_key_value_heads?: number;
  head_dim?: number;
  rms_norm_eps: number;
  rope_theta?: number;
  max_position_embeddings: number;
  tie_word_embeddings?: boolean;
  /** q/k/v (and o, for Llama) projection biases; Qwen2 has q/k/v bias regardless of this flag. */
  attention_bias?: boolean;
  hidden_act?: 'silu';
  bos_token_id?: number;
  eos_token_id?: number | number[];
}

/** Gemma 3 text (Gemma3ForCausalLM); fields and defaults as HF's Gemma3TextConfig. */
export interface Gemma3TextConfig {
  model_type: 'gemma3_text';
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  /** HF default 4 (not num_attention_heads). */
  num_key_value_heads?: number;
  /** HF default 256. */
  head_dim?: number;
  rms_norm_eps?: number;
  /** Rotary base of the global (full_attention) layers; HF default 1e6. */
  rope_theta?: number;
  /** Rotary base of the sliding-window layers; HF default 1e4. */
  rope_local_base_freq?: number;
  max_position_embeddings?: number;
  /** Attention scores are scaled by query_pre_attn_scalar ** -0.5 (HF default 256). */
  query_pre_attn_scalar?: number;
  sliding_window?: number;
  /** Per layer 'sliding_attention' | 'full_attention'; older configs give sliding_window_pattern instead. */
  layer_types?: string[];
  sliding_window_pattern?: number;
  hidden_activation?: string;
  tie_word_embeddings?: boolean;
  attention_bias?: boolean;
  final_logit_softcapping?: number | null;
  attn_logit_softcapping?: number | null;
  bos_token_id?: number;
  eos_token_id?: number | number[];
  pad_token_id?: number;
}

export type ModelConfig = Gpt2Config | LlamaConfig | Gemma3TextConfig;

/** A tensor as plain data: what safetensors holds and what checkpoints store. Row-major. */
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

/** Weights by their Hugging Face / PEFT tensor name. */
export type WeightMap = Map<string, NamedArray>;
