// Parameter inventory per family: HF tensor names, shapes, seeded init, and the linear modules LoRA can target.
import type { ModelDims } from './dims';
import type { WeightLayout } from '../backend/ops';
import { qkNormParams } from './qwen3';
import { gemma3Params } from './gemma3-config';

export type ParamInit = { kind: 'normal'; std: number } | { kind: 'zeros' } | { kind: 'ones' };

export interface ParamSpec {
  name: string;
  shape: number[];
  init: ParamInit;
}

/** A linear layer by its HF module path (the weight is `${module}.weight`, bias `${module}.bias`). */
export interface LinearModuleSpec {
  module: string;
  inFeatures: number;
  outFeatures: number;
  layout: WeightLayout;
  hasBias: boolean;
}

const normal = (std: number): ParamInit => ({ kind: 'normal', std });
const zeros: ParamInit = { kind: 'zeros' };
const ones: ParamInit = { kind: 'ones' };

export function gpt2LinearModules(d: ModelDims): LinearModuleSpec[] {
  const out: LinearModuleSpec[] = [];
  for (let i = 0; i < d.layers; i++) {
    const p = `transformer.h.${i}`;
    out.push({ module: `${p}.attn.c_attn`, inFeatures: d.hidden, outFeatures: 3 * d.hidden, layout: 'in_out', hasBias: true });
    out.push({ module: `${p}.attn.c_proj`, inFeatures: d.hidden, outFeatures: d.hidden, layout: 'in_out', hasBias: true });
    out.push({ module: `${p}.mlp.c_fc`, inFeatures: d.hidden, outFeatures: d.intermediate, layout: 'in_out', hasBias: true });
    out.push({ module: `${p}.mlp.c_proj`, inFeatures: d.intermediate, outFeatures: d.hidden, layout: 'in_out', hasBias: true });
  }
  return out;
}

export function llamaLinearModules(d: ModelDims): LinearModuleSpec[] {
  const out: LinearModuleSpec[] = [];
  const qOut = d.heads * d.headDim;
  const kvOut = d.kvHeads * d.headDim;
  for (let i = 0; i < d.layers; i++) {
    const a = `model.layers.${i}.self_attn`;
    const m = `model.layers.${i}.mlp`;
    out.push({ module: `${a}.q_proj`, inFeatures: d.hidden, outFeatures: qOut, layout: 'out_in', hasBias: d.qkvBias });
    out.push({ module: `${a}.k_proj`, inFeatures: d.hidden, outFeatures: kvOut, layout: 'out_in', hasBias: d.qkvBias });
    out.push({ module: `${a}.v_proj`, inFeatures: d.hidden, outFeatures: kvOut, layout: 'out_in', hasBias: d.qkvBias });
    out.push({ module: `${a}.o_proj`, inFeatures: qOut, outFeatures: d.hidden, layout: 'out_in', hasBias: d.oBias });
    out.push({ module: `${m}.gate_proj`, inFeatures: d.hidden, outFeatures: d.intermediate, layout: 'out_in', hasBias: false });
    out.push({ module: `${m}.up_proj`, inFeatures: d.hidden, outFeatures: d.intermediate, layout: 'out_in', hasBias: false });
    out.push({ module: `${m}.down_proj`, inFeatures: d.intermediate, outFeatures: d.hidden, layout: 'out_in', hasBias: false });
  }
  return out;
}

export function linearModules(d: ModelDims): LinearModuleSpec[] {
  return d.family === 'gpt2' ? gpt2LinearModules(d) : llamaLinearModules(d);
}

function linearParams(spec: LinearModuleSpec, std: number): ParamSpec[] {
  const shape = spec.layout === 'in_out' ? [spec.inFeatures, spec.outFeatures] : [spec.outFeatures, spec.inFeatures];
  const params: ParamSpec[] = [{ name: `${spec.module}.weight`, shape, init: normal(std) }];
  if (spec.hasBias) params.push({ name: `${spec.module}.bias`, shape: [spec.outFeatures], init: zeros });
  return params;
}

/** GPT-2 as HF initialises it: N(0, 0.02), residual projections N(0, 0.02/√(2·n_layer)), LayerNorm 1/0. */
function gpt2Params(d: ModelDims): ParamSpec[] {
  const residualStd = 0.02 / Math.sqrt(2 * d.layers);
  const ln = (name: string): ParamSpec[] => [
    { name: `${name}.weight`, shape: [d.hidden], init: ones },
    { name: `${name}.bias`, shape: [d.hidden], init: zeros },
  ];
  const specs: ParamSpec[] = [
    { name: 'transformer.wte.weight', shape: [d.vocabSize, d.hidden], init: normal(0.02) },
    { name: 'transformer.wpe.weight', shape: [d.maxPositions, d.hidden], init: normal(0.02) },
  ];
  const modules = gpt2LinearModules(d);
  for (let i = 0; i < d.layers; i++) {
    const p = `transformer.h.${i}`;
    const mine = modules.filter((m) => m.module.startsWith(`${p}.`));
    specs.push(...ln(`${p}.ln_1`));
    specs.push(...linearParams(mine[0], 0.02), ...linearParams(mine[1], residualStd));
    specs.push(...ln(`${p}.ln_2`));
    specs.push(...linearParams(mine[2], 0.02), ...linearParams(mine[3], residualStd));
  }
  specs.push(...ln('transformer.ln_f'));
  return specs;
}

/** Llama as HF initialises it: N(0, 0.02) for embeddings and linears, RMSNorm weights 1, biases 0. */
function llamaParams(d: ModelDims): ParamSpec[] {
  const specs: ParamSpec[] = [{ name: 'model.embed_tokens.weight', shape: [d.vocabSize, d.hidden], init: normal(0.02) }];
  const modules = llamaLinearModules(d);
  for (let i = 0; i < d.layers; i++) {
    const p = `model.layers.${i}`;
    const mine = modules.filter((m) => m.module.startsWith(`${p}.`));
    specs.push({ name: `${p}.input_layernorm.weight`, shape: [d.hidden], init: ones });
    for (const m of mine.slice(0, 4)) specs.push(...linearParams(m, 0.02));
    specs.push(...qkNormParams(d, p));
    specs.push({ name: `${p}.post_attention_layernorm.weight`, shape: [d.hidden], init: ones });
    for (const m of mine.slice(4)) specs.push(...linearParams(m, 0.02));
  }
  specs.push({ name: 'model.norm.weight', shape: [d.hidden], init: ones });
  if (!d.tiedEmbeddings) specs.push({ name: 'lm_head.weight', shape: [d.vocabSize, d.hidden], init: normal(0.02) });
  return specs;
}

export function paramSpecs(d: ModelDims): ParamSpec[] {
  if (d.family === 'gemma3') return gemma3Params(d);
  return d.family === 'gpt2' ? gpt2Params(d) : llamaParams(d);
}
