// Training options (one run's hyperparameters) with validation that says which value is wrong and what to use.
import { ModelConfigError } from '../errors';
import type { LoraConfig } from '../lora/config';
import type { WeightMap } from '../models/config';
import type { BaseWeightPrecision } from './base-weights';

export type LrSchedule = 'constant' | 'linear' | 'cosine';

export interface TrainOptions {
  /** 'lora' trains only adapter weights; 'full' trains every model weight (tiny models). */
  method: 'lora' | 'full';
  /** Required when method is 'lora'. */
  lora?: LoraConfig;
  lr: number;
  weightDecay: number;
  betas: [number, number];
  eps: number;
  warmupSteps: number;
  schedule: LrSchedule;
  /** Total optimizer steps; the schedule decays over them. */
  maxSteps: number;
  /** Examples per micro-batch. */
  batchSize: number;
  /** Micro-batches per optimizer step; the loss is the weighted mean over all of them. */
  gradAccumSteps: number;
  /** Global-norm clipping threshold; 0 turns clipping off. */
  maxGradNorm: number;
  seed: number;
  /** Longer examples are truncated to their first maxSeqLen tokens. */
  maxSeqLen: number;
  /**
   * Storage of the frozen base weights under LoRA: 'f16' (rounded once; half the bytes per pass on WebGPU,
   * f32 accumulation) or 'f32' (exact, the default here: golden tests and full fine-tuning). Full fine-tuning
   * trains the base, so it is always f32.
   */
  baseWeights?: BaseWeightPrecision;
  /**
   * Recompute each transformer block's activations in the backward pass instead of keeping them: less memory
   * (a block's input per layer instead of all its tensors), one more forward pass of compute. Off by default.
   */
  gradientCheckpointing?: boolean;
  /** Start LoRA from these PEFT-named weights instead of PEFT's fresh init (imported adapter, golden tests). */
  initialAdapter?: WeightMap;
  /**
   * Gradient-ascent unlearning: each step follows the gradient of the *negated* loss, so the loss on the training
   * examples rises (an approximation of forgetting them). The reported loss stays the cross-entropy itself.
   */
  gradientAscent?: boolean;
  /**
   * 'sft' (default): weighted next-token cross-entropy. 'dpo': TRL's sigmoid DPO loss on preference pairs (examples
   * with `rejected`), the reference being the frozen base: under LoRA the same weights with the adapter off.
   */
  objective?: 'sft' | 'dpo';
  /** DPO's β (TRL's `beta`, default 0.1): how far the policy may move from the reference. */
  dpoBeta?: number;
  /** DPO's label smoothing ε (TRL's `label_smoothing`, cDPO; default 0): the assumed share of flipped preferences. */
  dpoLabelSmoothing?: number;
  /**
   * DPO's reference model: absent, the base with the adapter off (TRL without `ref_model`); or these PEFT-named LoRA
   * weights, held frozen on the same base: the policy a round of DPO starts from (pass the same weights as
   * `initialAdapter`), so the policy equals the reference at step 0 and the loss starts at log 2.
   */
  dpoReferenceAdapter?: WeightMap;
}

export const defaultTrainOptions: Omit<TrainOptions, 'lora'> = {
  method: 'lora',
  lr: 1e-3,
  weightDecay: 0,
  betas: [0.9, 0.999],
  eps: 1e-8,
  warmupSteps: 0,
  schedule: 'constant',
  maxSteps: 100,
  batchSize: 8,
  gradAccumSteps: 1,
  maxGradNorm: 1,
  seed: 0,
  maxSeqLen: 256,
  baseWeights: 'f32',
  gradientCheckpointing: false,
  objective: 'sft',
  dpoBeta: 0.1,
  dpoLabelSmoothing: 0,
};

function bad(field: string, value: unknown, hint: string): never {
  throw new ModelConfigError(`Training option ${field} = ${JSON.stringify(value)} is invalid.`, hint);
}

export function validateTrainOptions(o: TrainOptions): void {
  if (o.method !== 'lora' && o.method !== 'full') bad('method', o.method, "Use 'lora' or 'full'.");
  if (o.method === 'lora' && !o.lora) bad('lora', o.lora, 'LoRA training needs a LoRA config (r, lora_alpha, lora_dropout, target_modules).');
  if (!(o.lr >= 0 && Number.isFinite(o.lr))) bad('lr', o.lr, 'Use a learning rate such as 1e-3 for LoRA or 3e-4 for full fine-tuning.');
  if (!(o.weightDecay >= 0)) bad('weightDecay', o.weightDecay, 'Use 0 to 0.1.');
  if (!(o.betas?.length === 2 && o.betas.every((b) => b >= 0 && b < 1))) bad('betas', o.betas, 'Use [0.9, 0.999].');
  if (!(o.eps > 0)) bad('eps', o.eps, 'Use 1e-8.');
  if (!['constant', 'linear', 'cosine'].includes(o.schedule)) bad('schedule', o.schedule, "Use 'constant', 'linear' or 'cosine'.");
  for (const f of ['maxSteps', 'batchSize', 'gradAccumSteps', 'maxSeqLen'] as const) {
    if (!Number.isInteger(o[f]) || o[f] <= 0) bad(f, o[f], 'Use a positive whole number.');
  }
  if (!Number.isInteger(o.warmupSteps) || o.warmupSteps < 0) bad('warmupSteps', o.warmupSteps, 'Use a whole number ≥ 0.');
  if (!(o.maxGradNorm >= 0)) bad('maxGradNorm', o.maxGradNorm, 'Use 1.0, or 0 to turn clipping off.');
  if (!Number.isInteger(o.seed)) bad('seed', o.seed, 'Use a whole number.');
  if (o.baseWeights !== undefined && o.baseWeights !== 'f32' && o.baseWeights !== 'f16') bad('baseWeights', o.baseWeights, "Use 'f16' or 'f32'.");
  if (o.objective !== undefined && o.objective !== 'sft' && o.objective !== 'dpo') bad('objective', o.objective, "Use 'sft' or 'dpo'.");
  if (o.objective === 'dpo') {
    if (o.method !== 'lora') {
      throw new ModelConfigError(
        'DPO needs the frozen base model as its reference. Under LoRA that is the same weights with the adapter off; full fine-tuning would need a second copy of every weight, which TuneLab does not keep.',
        'Train DPO with LoRA (method "lora").',
      );
    }
    if (!(typeof o.dpoBeta === 'number' && o.dpoBeta > 0 && Number.isFinite(o.dpoBeta))) bad('dpoBeta', o.dpoBeta, 'Use a β > 0, such as 0.1 (TRL\'s default).');
    if (!(typeof o.dpoLabelSmoothing === 'number' && o.dpoLabelSmoothing >= 0 && o.dpoLabelSmoothing < 0.5)) bad('dpoLabelSmoothing', o.dpoLabelSmoothing, 'Use a label smoothing in [0, 0.5), such as 0 (plain DPO) or 0.1.');
  } else if (o.dpoReferenceAdapter !== undefined) {
    bad('dpoReferenceAdapter', '(LoRA weights)', "A reference adapter is DPO's reference model: set objective 'dpo', or leave it out.");
  }
  if (o.method === 'full' && o.baseWeights === 'f16') bad('baseWeights', o.baseWeights, "Full fine-tuning trains the base weights, which stay f32: use 'f32'.");
}
