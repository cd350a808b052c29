// Memory and time estimate before a run starts, from the model shape and (when known) this machine's measured speed.
import type { TinyModelSpec, TrainHyperparameters } from '../../contract';
import { activationBytes, type ActivationWidths } from '../../engine/activation-memory';
import { gpt2ParameterCount, loraParameterCount } from './models.svelte';

export interface TrainEstimate {
  parameters: number;
  trainable: number;
  /**
   * The engine's estimate (train/memory.ts) from what the page knows of the model: f32 weights (a LoRA run's f16
   * base: its linear weights at 2 bytes), the trainables' gradients (twice: as returned and concatenated) and AdamW moments, and
   * the activations at the backward peak (activation-memory.ts; far fewer with gradient checkpointing).
   */
  memoryBytes: number;
  /** memoryBytes with gradient checkpointing switched the other way (its effect, shown beside the estimate). */
  memoryBytesOtherCheckpointing: number;
  tokensPerStep: number;
  flopsPerStep: number;
  /** From the tokens/s this machine measured in an earlier run of the same model shape; null before any run. */
  seconds: number | null;
}

export function estimateTraining(spec: TinyModelSpec, vocab: number, hyper: TrainHyperparameters, measuredTokensPerSec: number | null): TrainEstimate {
  const parameters = spec.numParams ?? gpt2ParameterCount(spec, vocab);
  const trainable = hyper.method === 'full' ? parameters : loraParameterCount(spec, hyper.lora.r, hyper.lora.targetModules);
  // DPO: each example is a pair, chosen and rejected, in one batch of twice the rows (plus the reference's forward pass).
  const dpo = hyper.objective === 'dpo';
  const rows = (dpo ? 2 : 1) * hyper.batchSize;
  const tokensPerStep = rows * hyper.gradAccumulation * spec.n_positions;
  const checkpointing = hyper.gradientCheckpointing ?? false;
  const activations = (on: boolean) => activationBytes(activationWidths(spec, vocab), rows * spec.n_positions, on, loraDropoutWidth(spec, hyper));
  // A LoRA run on an f16 base holds its linear weights as f16 copies on the GPU (the f32 values stay on the CPU).
  const halfBase = hyper.method === 'lora' && hyper.baseWeights === 'f16' ? 2 * linearWeightCount(spec) : 0;
  const state = 4 * parameters - halfBase + (hyper.method === 'lora' ? 4 * trainable : 0) + 16 * trainable;
  const memoryBytes = state + activations(checkpointing);
  // Checkpointing runs each block's forward twice: 8·P per token instead of 6·P.
  // DPO adds the reference's forward pass (the adapter off): 2·P per token more.
  const flopsPerStep = ((checkpointing ? 8 : 6) + (dpo ? 2 : 0)) * parameters * tokensPerStep;
  const seconds = measuredTokensPerSec ? (hyper.steps * tokensPerStep) / measuredTokensPerSec : null;
  return { parameters, trainable, memoryBytes, memoryBytesOtherCheckpointing: state + activations(!checkpointing), tokensPerStep, flopsPerStep, seconds };
}

/** Weights of all linear layers (what an f16 base copies): from the loaded model's modules, else GPT-2's 12·d² per layer. */
function linearWeightCount(spec: TinyModelSpec): number {
  const perLayer = spec.linearModules ? spec.linearModules.reduce((n, m) => n + m.inFeatures * m.outFeatures, 0) : 12 * spec.n_embd * spec.n_embd;
  return spec.n_layer * perLayer;
}

/** One layer's linear modules (PEFT short name, in, out): the loaded model's own, else GPT-2's at width d. */
function layerModules(spec: TinyModelSpec): { name: string; inFeatures: number; outFeatures: number }[] {
  if (spec.linearModules) return spec.linearModules;
  const d = spec.n_embd;
  return [
    { name: 'c_attn', inFeatures: d, outFeatures: 3 * d },
    { name: 'c_proj', inFeatures: d, outFeatures: d },
    { name: 'c_fc', inFeatures: d, outFeatures: 4 * d },
    { name: 'c_proj', inFeatures: 4 * d, outFeatures: d },
  ];
}

function activationWidths(spec: TinyModelSpec, vocab: number): ActivationWidths {
  const modules = layerModules(spec);
  const out = (name: string, fallback: number) => modules.find((m) => m.name === name)?.outFeatures ?? fallback;
  const d = spec.n_embd;
  const gpt2 = (spec.modelType ?? 'gpt2') === 'gpt2';
  return {
    family: gpt2 ? 'gpt2' : 'llama',
    layers: spec.n_layer,
    hidden: d,
    intermediate: gpt2 ? out('c_fc', 4 * d) : out('gate_proj', 4 * d),
    qWidth: out('q_proj', d),
    kvWidth: out('k_proj', d),
    vocab,
  };
}

/** Σ 2·in over the LoRA modules of all layers when dropout is on (each keeps its dropped input and that input's gradient). */
function loraDropoutWidth(spec: TinyModelSpec, hyper: TrainHyperparameters): number {
  if (hyper.method !== 'lora' || !(hyper.lora.dropout > 0)) return 0;
  return spec.n_layer * layerModules(spec).filter((m) => hyper.lora.targetModules.includes(m.name)).reduce((n, m) => n + 2 * m.inFeatures, 0);
}
