// Trainer setup: validated options, seeds, the trainable tensors (a LoRA adapter or the whole model), AdamW moments, data order, resume.
import { tf, type Variable } from '../backend/tf';
import type { TokenizedExample } from '../data/example';
import { CheckpointError, DatasetParseError } from '../errors';
import { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import { Rng } from '../rng';
import { adamwInit, type AdamWMoments } from './adamw';
import { holdHalfBaseWeights, type HeldBaseWeights } from './base-weights';
import { DataOrder } from './batch';
import type { TrainerCheckpoint } from './checkpoint';
import { defaultTrainOptions, validateTrainOptions, type TrainOptions } from './options';

/**
 * A stream of fresh examples instead of a fixed dataset (pretraining on generated data): the examples of micro-batch
 * `micro` of 0-based step `step`. It must be a pure function of its arguments, so a resumed run sees the same data.
 */
export interface ExampleStream {
  stream(step: number, micro: number): TokenizedExample[];
}

/** Everything a training run holds between steps; step, evaluation and checkpoint read it, the step advances it. */
export interface TrainingState {
  model: CausalLM;
  opts: TrainOptions;
  stream: ExampleStream | null;
  examples: TokenizedExample[];
  maxSeqLen: number;
  lora: LoraAdapter | null;
  /** The tensors being trained, by name (PEFT names for LoRA, HF names for full fine-tuning), in update order. */
  trainables: [string, Variable][];
  variables: Variable[];
  sizes: number[];
  /** AdamW moments as flat [P] vectors in the order of `trainables` (replaced by the non-fused update). */
  moments: AdamWMoments;
  order: DataOrder;
  dropoutRng: Rng;
  drawDropoutSeed: () => number;
  /** Optimizer steps completed. */
  stepCount: number;
  /** The frozen base in f16 for the trainer's lifetime (every forward pass on the model, evals included). */
  halfBase: HeldBaseWeights | null;
  /** DPO's frozen reference adapter (`dpoReferenceAdapter`), never trained; null: the reference is the base, adapter off. */
  referenceLora: LoraAdapter | null;
}

export function setupTraining(model: CausalLM, data: TokenizedExample[] | ExampleStream, options: TrainOptions, resumeFrom?: TrainerCheckpoint): TrainingState {
  const opts: TrainOptions = { ...defaultTrainOptions, ...options };
  validateTrainOptions(opts);
  const stream = Array.isArray(data) ? null : data;
  const examples = Array.isArray(data) ? data : [];
  if (!stream && examples.length === 0) throw new DatasetParseError('There are no training examples.', 'Add examples to the dataset or check the train split.');
  if (opts.objective === 'dpo') {
    const unpaired = stream ? -1 : examples.filter((e) => !e.rejected).length;
    if (unpaired !== 0) {
      throw new DatasetParseError(
        stream ? 'DPO trains on a dataset of preference pairs, not on a stream of generated text.' : `DPO trains on preference pairs, but ${unpaired} of the ${examples.length} training examples have no rejected answer.`,
        'Use a dataset whose rows are all {"prompt","chosen","rejected"} (or their chat form), or pick the SFT objective.',
      );
    }
  }
  const maxSeqLen = Math.min(opts.maxSeqLen, model.dims.maxPositions);
  const seeds = new Rng(opts.seed);
  const initSeed = seeds.fork();
  const dataSeed = seeds.fork();
  const dropoutSeed = seeds.fork();

  if (resumeFrom) {
    if (resumeFrom.base.modelType !== model.config.model_type || resumeFrom.base.numParams !== model.numParams) {
      throw new CheckpointError('This checkpoint was made for a different base model.', 'Load the base model the run started from.');
    }
    if (resumeFrom.options.method !== opts.method) throw new CheckpointError(`The checkpoint is from a ${resumeFrom.options.method} run, not ${opts.method}.`, 'Resume with the options of the original run.');
  }

  let lora: LoraAdapter | null = null;
  let trainables: [string, Variable][];
  if (opts.method === 'lora') {
    const config = opts.lora!;
    const start = resumeFrom?.trainable ?? opts.initialAdapter;
    lora = start ? LoraAdapter.fromWeights(model.linearModules, config, start) : LoraAdapter.create(model.linearModules, config, initSeed);
    trainables = lora.namedVariables();
  } else {
    if (resumeFrom) model.assignWeights(resumeFrom.trainable);
    trainables = model.namedVariables();
  }
  const variables = trainables.map(([, v]) => v);
  // All trainable tensors are updated as one flat vector [P] (a handful of kernels per step instead of ~12 per
  // tensor); the moments live flat too, in the order of `trainables`.
  const sizes = variables.map((v) => v.size);
  const moments: AdamWMoments = tf.tidy(() => {
    if (!resumeFrom) return adamwInit(tf.zeros([sizes.reduce((a, b) => a + b, 0)]));
    const flat = (group: 'adamM' | 'adamV') =>
      tf.concat(
        trainables.map(([name, v]) => {
          const w = resumeFrom[group].get(name);
          if (!w || w.data.length !== v.size) throw new CheckpointError(`The checkpoint lacks optimizer moments for "${name}".`, 'Restart the run.');
          return tf.tensor1d(w.data);
        }),
      );
    return { m: flat('adamM'), v: flat('adamV') };
  });
  // A stream needs no order; a one-item order keeps the checkpoint's shape the same for both kinds of data.
  const order = new DataOrder(Math.max(1, examples.length), resumeFrom?.dataOrder ?? dataSeed);
  const dropoutRng = new Rng(resumeFrom?.dropoutRng ?? dropoutSeed);
  const drawDropoutSeed = () => dropoutRng.fork();
  // The frozen base in f16 for this trainer's lifetime (every forward pass on the model, evals included).
  const halfBase = opts.method === 'lora' && opts.baseWeights === 'f16' ? holdHalfBaseWeights(model) : null;

  // Its variables are not in `variables`, so no gradient reaches them.
  const referenceLora = opts.objective === 'dpo' && opts.dpoReferenceAdapter ? LoraAdapter.fromWeights(model.linearModules, opts.lora!, opts.dpoReferenceAdapter) : null;

  return { model, opts, stream, examples, maxSeqLen, lora, trainables, variables, sizes, moments, order, dropoutRng, drawDropoutSeed, stepCount: resumeFrom?.step ?? 0, halfBase, referenceLora };
}
