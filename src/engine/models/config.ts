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

export type ModelConfig = Gpt2Config | LlamaConfig;

/** A tensor as plain data: what safetensors holds and what checkpoints store. Row-major. */
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

/** Weights by their Hugging Face / PEFT tensor name. */
export type WeightMap = Map<string, NamedArray>;
