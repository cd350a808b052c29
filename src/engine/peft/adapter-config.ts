// adapter_config.json as PEFT writes and reads it, to and from our LoraConfig.
import { AdapterFormatError } from '../errors';
import type { LoraConfig } from '../lora/config';
import type { ModelConfig } from '../models/config';
import type { LinearModuleSpec } from '../models/params';

/** The keys PEFT (0.10+) writes for a LoRA adapter; PEFT ignores keys it does not know, so this loads in PEFT. */
export interface PeftAdapterConfig {
  peft_type: 'LORA';
  /** CAUSAL_LM for TuneLab's language models, FEATURE_EXTRACTION for encoders (sentence embedders). */
  task_type: 'CAUSAL_LM' | 'FEATURE_EXTRACTION';
  base_model_name_or_path: string;
  revision: string | null;
  r: number;
  lora_alpha: number;
  lora_dropout: number;
  target_modules: string[] | string;
  fan_in_fan_out: boolean;
  bias: 'none' | 'all' | 'lora_only';
  use_rslora: boolean;
  use_dora: boolean;
  modules_to_save: string[] | null;
  init_lora_weights: boolean;
  inference_mode: boolean;
  rank_pattern: Record<string, number>;
  alpha_pattern: Record<string, number>;
  layers_to_transform: number[] | null;
  layers_pattern: string | null;
}

export function buildAdapterConfig(lora: LoraConfig, modelType: ModelConfig['model_type'] | 'bert', baseRepo: string, revision: string | null): PeftAdapterConfig {
  return {
    peft_type: 'LORA',
    task_type: modelType === 'bert' ? 'FEATURE_EXTRACTION' : 'CAUSAL_LM',
    base_model_name_or_path: baseRepo,
    revision,
    r: lora.r,
    lora_alpha: lora.lora_alpha,
    lora_dropout: lora.lora_dropout,
    target_modules: [...lora.target_modules].sort(),
    // GPT-2's Conv1D stores weights [in, out]; PEFT needs fan_in_fan_out to transpose the delta for it.
    fan_in_fan_out: modelType === 'gpt2',
    bias: 'none',
    use_rslora: lora.use_rslora ?? false,
    use_dora: false,
    modules_to_save: null,
    init_lora_weights: true,
    inference_mode: true,
    rank_pattern: {},
    alpha_pattern: {},
    layers_to_transform: null,
    layers_pattern: null,
  };
}

function refuse(what: string, hint: string): never {
  throw new AdapterFormatError(`adapter_config.json: ${what}`, hint);
}

const isEmpty = (v: unknown) => v == null || (typeof v === 'object' && Object.keys(v as object).length === 0);

/**
 * Reads a PEFT adapter_config.json into a LoraConfig whose target_modules are resolved against the model's linear
 * modules (a regex string becomes the list of full module names it matches, as PEFT does with re.fullmatch).
 */
export function parseAdapterConfig(json: unknown, available: LinearModuleSpec[]): { lora: LoraConfig; baseModel: string | null; revision: string | null } {
  if (!json || typeof json !== 'object' || Array.isArray(json)) refuse('not a JSON object.', 'Use the adapter_config.json saved with the adapter.');
  const c = json as Record<string, unknown>;
  if (c.peft_type !== 'LORA') refuse(`peft_type is ${JSON.stringify(c.peft_type)}; TuneLab imports LORA adapters only.`, 'Export a LoRA adapter (not IA3, prefix tuning or others).');
  if (c.task_type != null && c.task_type !== 'CAUSAL_LM' && c.task_type !== 'FEATURE_EXTRACTION') refuse(`task_type is ${JSON.stringify(c.task_type)}, not CAUSAL_LM (language models) or FEATURE_EXTRACTION (embedding models).`, 'Use an adapter trained for causal language modelling or for sentence embeddings.');
  if (c.use_dora === true) refuse('use_dora is true; DoRA adapters are not supported.', 'Train with use_dora=False.');
  if (c.bias != null && c.bias !== 'none') refuse(`bias is "${String(c.bias)}"; TuneLab adapters train no biases.`, 'Train with bias="none".');
  if (!isEmpty(c.modules_to_save)) refuse(`modules_to_save ${JSON.stringify(c.modules_to_save)} would need full copies of those modules.`, 'Train without modules_to_save.');
  if (!isEmpty(c.rank_pattern) || !isEmpty(c.alpha_pattern)) refuse('rank_pattern / alpha_pattern give modules their own rank or alpha, which TuneLab does not support.', 'Train with one r and lora_alpha for all modules.');
  if (!isEmpty(c.layers_to_transform)) refuse('layers_to_transform limits the adapter to some layers, which TuneLab does not support.', 'Train on all layers.');
  const r = c.r;
  const alpha = c.lora_alpha ?? 8;
  const dropout = c.lora_dropout ?? 0;
  if (typeof r !== 'number' || !Number.isInteger(r) || r <= 0) refuse(`r is ${JSON.stringify(r)}; it must be a positive integer.`, 'The file is damaged.');
  if (typeof alpha !== 'number' || !(alpha > 0)) refuse(`lora_alpha is ${JSON.stringify(alpha)}; it must be positive.`, 'The file is damaged.');
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) refuse(`lora_dropout is ${JSON.stringify(dropout)}.`, 'The file is damaged.');
  let targets: string[];
  if (typeof c.target_modules === 'string') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${c.target_modules})$`);
    } catch {
      refuse(`target_modules regex ${JSON.stringify(c.target_modules)} does not compile.`, 'Use a list of module names.');
    }
    targets = available.map((s) => s.module).filter((m) => pattern.test(m));
  } else if (Array.isArray(c.target_modules) && c.target_modules.every((t) => typeof t === 'string')) {
    targets = c.target_modules as string[];
  } else {
    refuse(`target_modules is ${JSON.stringify(c.target_modules)}.`, 'It must be a list of module names or a regex string.');
  }
  const base = typeof c.base_model_name_or_path === 'string' && c.base_model_name_or_path ? c.base_model_name_or_path : null;
  return {
    lora: { r, lora_alpha: alpha, lora_dropout: dropout, target_modules: targets, use_rslora: c.use_rslora === true },
    baseModel: base,
    revision: typeof c.revision === 'string' ? c.revision : null,
  };
}
