// LoRA hyperparameters with PEFT's names and semantics (scaling alpha/r, or alpha/sqrt(r) with rsLoRA).

export interface LoraConfig {
  r: number;
  lora_alpha: number;
  lora_dropout: number;
  /** Module names as in PEFT: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj; c_attn, c_proj, c_fc for GPT-2. */
  target_modules: string[];
  use_rslora?: boolean;
}

export function loraScaling(config: LoraConfig): number {
  return config.use_rslora ? config.lora_alpha / Math.sqrt(config.r) : config.lora_alpha / config.r;
}
