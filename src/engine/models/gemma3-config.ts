// Gemma 3 text (gemma3_text): config validation with HF Gemma3TextConfig's defaults, dimensions and parameter inventory.
import { ModelConfigError, UnsupportedArchitectureError } from '../errors';
import type { Gemma3TextConfig } from './config';
import { positiveInt, positiveNumber, type ModelDims } from './dims';
import { llamaLinearModules, type ParamSpec } from './params';

export interface Gemma3Dims {
  /** Per layer: true for 'sliding_attention' (local window, rope_local_base_freq), false for 'full_attention'. */
  slidingLayers: boolean[];
  /** A sliding layer's query at position q sees keys k with q − window < k ≤ q (HF sliding_window_overlay). */
  slidingWindow: number;
  /** Rotary base of the sliding layers (the global layers use ModelDims.ropeTheta). */
  localRopeTheta: number;
  /** query_pre_attn_scalar ** −0.5, the attention scale instead of head_dim ** −0.5. */
  attentionScale: number;
  /** √hidden_size rounded to float32, as HF's embed_scale buffer cast to the (float32) embedding dtype. */
  embedScale: number;
}

const HINT = 'TuneLab runs Gemma 3 text checkpoints as released (e.g. google/gemma-3-270m, google/gemma-3-1b-it).';

function refuse(what: string): never {
  throw new UnsupportedArchitectureError(`Gemma 3: ${what}`, HINT);
}

/** Layer types from config.layer_types, else HF's rule for older configs: every sliding_window_pattern-th layer is global. */
function layerTypes(c: Gemma3TextConfig, layers: number): boolean[] {
  const raw = c as unknown as Record<string, unknown>;
  if (Array.isArray(c.layer_types)) {
    if (c.layer_types.length !== layers) {
      throw new ModelConfigError(`config.layer_types lists ${c.layer_types.length} layers but num_hidden_layers is ${layers}.`, 'Check config.json against the model card.');
    }
    return c.layer_types.map((t, i) => {
      if (t === 'sliding_attention') return true;
      if (t === 'full_attention') return false;
      return refuse(`layer ${i} has layer type ${JSON.stringify(t)}; only sliding_attention and full_attention are implemented.`);
    });
  }
  const pattern = positiveInt(raw.sliding_window_pattern ?? raw._sliding_window_pattern ?? 6, 'sliding_window_pattern');
  return Array.from({ length: layers }, (_, i) => (i + 1) % pattern !== 0);
}

/** Rotary bases (global, local) from the flat fields, or from transformers v5's per-layer-type rope_parameters. */
function ropeBases(c: Gemma3TextConfig): [number, number] {
  const raw = c as unknown as Record<string, unknown>;
  if (raw.rope_scaling != null) refuse(`rope_scaling ${JSON.stringify(raw.rope_scaling)} (scaled rotary embeddings, as in Gemma 3 4B and larger) is not implemented.`);
  let global = c.rope_theta == null ? 1_000_000 : positiveNumber(c.rope_theta, 'rope_theta');
  let local = c.rope_local_base_freq == null ? 10_000 : positiveNumber(c.rope_local_base_freq, 'rope_local_base_freq');
  const params = raw.rope_parameters as Record<string, { rope_type?: unknown; rope_theta?: unknown } | null> | undefined;
  if (params != null) {
    for (const [type, p] of Object.entries(params)) {
      if (p == null) continue;
      if (type !== 'full_attention' && type !== 'sliding_attention') refuse(`rope_parameters ${JSON.stringify(params)} is not per layer type.`);
      if (p.rope_type != null && p.rope_type !== 'default') refuse(`rope_parameters.${type}.rope_type "${String(p.rope_type)}" is not implemented (only default rotary embeddings).`);
      if (p.rope_theta != null) {
        const theta = positiveNumber(p.rope_theta, `rope_parameters.${type}.rope_theta`);
        if (type === 'full_attention') global = theta;
        else local = theta;
      }
    }
  }
  return [global, local];
}

export function gemma3Dims(c: Gemma3TextConfig): ModelDims {
  const hidden = positiveInt(c.hidden_size, 'hidden_size');
  const heads = positiveInt(c.num_attention_heads, 'num_attention_heads');
  const kvHeads = positiveInt(c.num_key_value_heads ?? 4, 'num_key_value_heads');
  if (heads % kvHeads !== 0) throw new ModelConfigError(`num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}.`, 'Check config.json.');
  const headDim = positiveInt(c.head_dim ?? 256, 'head_dim');
  if (headDim % 2 !== 0) throw new ModelConfigError(`head_dim ${headDim} must be even for rotary embeddings.`, 'Check config.json.');
  const activation = c.hidden_activation ?? 'gelu_pytorch_tanh';
  if (activation !== 'gelu_pytorch_tanh') refuse(`hidden_activation "${activation}" is not implemented; Gemma 3's MLP is GeGLU with gelu_pytorch_tanh.`);
  if (c.final_logit_softcapping != null) refuse(`final_logit_softcapping ${c.final_logit_softcapping} is not implemented (released Gemma 3 checkpoints have null).`);
  if (c.attn_logit_softcapping != null) refuse(`attn_logit_softcapping ${c.attn_logit_softcapping} is not implemented (released Gemma 3 checkpoints have null).`);
  if ((c as unknown as Record<string, unknown>).use_bidirectional_attention === true) refuse('use_bidirectional_attention (an embedding model such as EmbeddingGemma) is not a causal language model.');
  const layers = positiveInt(c.num_hidden_layers, 'num_hidden_layers');
  const [ropeTheta, localRopeTheta] = ropeBases(c);
  const attentionBias = c.attention_bias === true;
  return {
    family: 'gemma3',
    vocabSize: positiveInt(c.vocab_size, 'vocab_size'),
    hidden,
    layers,
    heads,
    kvHeads,
    headDim,
    intermediate: positiveInt(c.intermediate_size, 'intermediate_size'),
    maxPositions: positiveInt(c.max_position_embeddings ?? 131_072, 'max_position_embeddings'),
    normEps: positiveNumber(c.rms_norm_eps ?? 1e-6, 'rms_norm_eps'),
    ropeTheta,
    tiedEmbeddings: c.tie_word_embeddings ?? true, // HF Gemma3TextConfig's default
    qkvBias: attentionBias,
    oBias: attentionBias,
    gemma3: {
      slidingLayers: layerTypes(c, layers),
      slidingWindow: positiveInt(c.sliding_window ?? 4096, 'sliding_window'),
      localRopeTheta,
      attentionScale: positiveNumber(c.query_pre_attn_scalar ?? 256, 'query_pre_attn_scalar') ** -0.5,
      embedScale: Math.fround(Math.sqrt(hidden)),
    },
  };
}

/**
 * Gemma 3 as HF initialises it: N(0, 0.02) for embeddings and linears, every Gemma3RMSNorm weight 0 (it scales by
 * 1 + weight). Per layer: input, post-attention, pre- and post-feed-forward norms, and q/k norms over head_dim.
 */
export function gemma3Params(d: ModelDims): ParamSpec[] {
  const normal = { kind: 'normal', std: 0.02 } as const;
  const zeros = { kind: 'zeros' } as const;
  const specs: ParamSpec[] = [{ name: 'model.embed_tokens.weight', shape: [d.vocabSize, d.hidden], init: normal }];
  const modules = llamaLinearModules(d);
  const linear = (module: string): ParamSpec[] => {
    const m = modules.find((x) => x.module === module);
    if (!m) throw new Error(`internal: no linear module ${module}`);
    const out: ParamSpec[] = [{ name: `${module}.weight`, shape: [m.outFeatures, m.inFeatures], init: normal }];
    if (m.hasBias) out.push({ name: `${module}.bias`, shape: [m.outFeatures], init: zeros });
    return out;
  };
  const norm = (name: string, size: number): ParamSpec => ({ name: `${name}.weight`, shape: [size], init: zeros });
  for (let i = 0; i < d.layers; i++) {
    const p = `model.layers.${i}`;
    specs.push(norm(`${p}.input_layernorm`, d.hidden));
    for (const m of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) specs.push(...linear(`${p}.self_attn.${m}`));
    specs.push(norm(`${p}.self_attn.q_norm`, d.headDim), norm(`${p}.self_attn.k_norm`, d.headDim));
    specs.push(norm(`${p}.post_attention_layernorm`, d.hidden), norm(`${p}.pre_feedforward_layernorm`, d.hidden));
    for (const m of ['gate_proj', 'up_proj', 'down_proj']) specs.push(...linear(`${p}.mlp.${m}`));
    specs.push(norm(`${p}.post_feedforward_layernorm`, d.hidden));
  }
  specs.push(norm('model.norm', d.hidden));
  if (!d.tiedEmbeddings) specs.push({ name: 'lm_head.weight', shape: [d.vocabSize, d.hidden], init: normal });
  return specs;
}
