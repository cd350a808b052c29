// The training loop: seeded batches, weighted CE, gradient accumulation, clipping, AdamW, non-finite guard, checkpoints.
import { tf, type Tensor, type Variable } from '../backend/tf';
import type { TokenizedExample } from '../data/example';
import { CheckpointError, DatasetParseError, NonFiniteLossError } from '../errors';
import { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import type { WeightMap } from '../models/config';
import { Rng } from '../rng';
import { adamwAssignFlat, adamwInit, type AdamWMoments } from './adamw';
import { fusedAdamWStep } from '../backend/kernels/adamw/adamw-update';
import { useFusedKernels } from '../backend/kernels/webgpu-backend';
import { stepSummary } from '../backend/kernels/step-summary/step-summary';
import { DataOrder, makeBatch } from './batch';
import type { TrainerCheckpoint } from './checkpoint';
import { batchLoss } from './loss';
import { defaultTrainOptions, validateTrainOptions, type TrainOptions } from './options';
import { holdHalfBaseWeights } from './base-weights';
import { learningRateAt } from './schedule';

export interface StepStats {
  /** Optimizer steps completed, including this one. */
  step: number;
  /** Weighted mean cross-entropy of this step's batch (before the update). */
  loss: number;
  lr: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Real input tokens processed (for tokens/s). */
  tokens: number;
  /** Share of weighted targets predicted right by argmax. */
  tokenAccuracy: number;
  epoch: number;
  ms: number;
}

export interface EvalResult {
  loss: number;
  tokenAccuracy: number;
}

export interface Trainer {
  readonly options: TrainOptions;
  /** The adapter being trained (null for full fine-tuning); disposed with the trainer. */
  readonly lora: LoraAdapter | null;
  readonly stepCount: number;
  /** Settles when every forward pass of the model computes what training does (the f16 base is in place). */
  readonly ready: Promise<void>;
  step(): Promise<StepStats>;
  evaluate(examples: TokenizedExample[]): Promise<EvalResult>;
  checkpoint(): Promise<TrainerCheckpoint>;
  /** PEFT-named adapter weights for LoRA; every model weight (HF names) for full fine-tuning. */
  adapterWeights(): WeightMap;
  dispose(): void;
}

async function readWeights(named: [string, Tensor][]): Promise<WeightMap> {
  const out: WeightMap = new Map();
  for (const [name, t] of named) out.set(name, { shape: [...t.shape], data: (await t.data()) as Float32Array });
  return out;
}

/**
 * A stream of fresh examples instead of a fixed dataset (pretraining on generated data): the examples of micro-batch
 * `micro` of 0-based step `step`. It must be a pure function of its arguments, so a resumed run sees the same data.
 */
export interface ExampleStream {
  stream(step: number, micro: number): TokenizedExample[];
}

export function createTrainer(model: CausalLM, data: TokenizedExample[] | ExampleStream, options: TrainOptions, resumeFrom?: TrainerCheckpoint): Trainer {
  const opts: TrainOptions = { ...defaultTrainOptions, ...options };
  validateTrainOptions(opts);
  const stream = Array.isArray(data) ? null : data;
  const examples = Array.isArray(data) ? data : [];
  if (!stream && examples.length === 0) throw new DatasetParseError('There are no training examples.', 'Add examples to the dataset or check the train split.');
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
  let moments: AdamWMoments = tf.tidy(() => {
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
  let stepCount = resumeFrom?.step ?? 0;
  let disposed = false;
  // The frozen base in f16 for this trainer's lifetime (every forward pass on the model, evals included).
  const halfBase = opts.method === 'lora' && opts.baseWeights === 'f16' ? holdHalfBaseWeights(model) : null;

  const assertAlive = () => {
    if (disposed) throw new Error('This trainer was disposed; create a new one.');
  };

  async function step(): Promise<StepStats> {
    assertAlive();
    await halfBase?.ready;
    const started = performance.now();
    const lr = learningRateAt(opts, stepCount);
    const batches = Array.from({ length: opts.gradAccumSteps }, (_, micro) =>
      makeBatch(stream ? stream.stream(stepCount, micro) : order.take(opts.batchSize).map((i) => examples[i]), maxSeqLen),
    );
    const weightSum = batches.reduce((s, b) => s + b.weightSum, 0);
    const denominator = weightSum > 0 ? weightSum : 1;
    let gradSums: Tensor[] | null = null;
    let flatGrad: Tensor | null = null;
    // Sums over micro-batches; the first micro-batch's values are taken as they are (no add dispatches).
    let lossSum: Tensor | null = null;
    let correctSum: Tensor | null = null;
    let targets = 0;
    let tokens = 0;
    try {
      for (const batch of batches) {
        let correct: Tensor | null = null;
        const { value, grads } = tf.variableGrads(() => {
          const r = batchLoss(model, batch, lora, denominator, drawDropoutSeed);
          correct = tf.keep(r.correct);
          return r.loss as tf.Scalar;
        }, variables);
        const ordered = variables.map((v) => grads[v.name] ?? tf.zerosLike(v));
        if (gradSums) {
          const previous: Tensor[] = gradSums;
          gradSums = ordered.map((g, i) => tf.add(previous[i], g));
          previous.forEach((t) => t.dispose());
          ordered.forEach((t) => t.dispose());
        } else {
          gradSums = ordered;
        }
        if (lossSum && correctSum) {
          const [oldLoss, oldCorrect] = [lossSum, correctSum];
          lossSum = tf.add(lossSum, value);
          correctSum = tf.add(correctSum, correct!);
          [oldLoss, oldCorrect, value, correct!].forEach((t) => t.dispose());
        } else {
          [lossSum, correctSum] = [value, correct!];
        }
        targets += batch.weights.reduce((n, w) => n + (w > 0 ? 1 : 0), 0);
        tokens += batch.tokens;
      }
      const grads = gradSums!;
      flatGrad = tf.tidy(() => tf.concat(grads.map((g) => tf.reshape(g, [-1])))); // [P]
      const fused = useFusedKernels();
      const summary = stepSummary(flatGrad, lossSum!, correctSum!, fused); // [loss, ‖g‖², correct]
      const hyper = { lr, beta1: opts.betas[0], beta2: opts.betas[1], eps: opts.eps, weightDecay: opts.weightDecay };
      // On WebGPU the update is queued before the readback: clipping and the non-finite guard run in the kernels,
      // so the GPU does not idle while the CPU decides; a non-finite step leaves weights and moments unchanged.
      if (fused) {
        fusedAdamWStep(variables, flatGrad, moments, summary, { ...hyper, maxGradNorm: opts.maxGradNorm, t: stepCount + 1 }); // in place
      }
      const [loss, normSquared, correctCount] = await summary.data();
      summary.dispose();
      if (!Number.isFinite(loss) || !Number.isFinite(normSquared)) {
        throw new NonFiniteLossError(
          `Training diverged at step ${stepCount + 1}: the ${Number.isFinite(loss) ? 'gradient' : 'loss'} is ${Number.isFinite(loss) ? normSquared : loss}. No weights were changed.`,
          'Lower the learning rate, turn on gradient clipping, or resume from the last checkpoint.',
        );
      }
      const gradNorm = Math.sqrt(normSquared);
      if (!fused) {
        const clip = opts.maxGradNorm > 0 ? Math.min(1, opts.maxGradNorm / (gradNorm + 1e-6)) : 1;
        moments = adamwAssignFlat(variables, flatGrad!, moments, hyper, stepCount + 1, clip);
      }
      stepCount++;
      return { step: stepCount, loss, lr, gradNorm, tokens, tokenAccuracy: targets > 0 ? correctCount / targets : 0, epoch: order.epoch, ms: performance.now() - started };
    } finally {
      gradSums?.forEach((t) => t.dispose());
      flatGrad?.dispose();
      lossSum?.dispose();
      correctSum?.dispose();
    }
  }

  async function evaluate(evalExamples: TokenizedExample[]): Promise<EvalResult> {
    assertAlive();
    await halfBase?.ready;
    let nllSum: Tensor = tf.scalar(0);
    let correctSum: Tensor = tf.scalar(0);
    let weightSum = 0;
    let targets = 0;
    try {
      for (let i = 0; i < evalExamples.length; i += opts.batchSize) {
        const batch = makeBatch(evalExamples.slice(i, i + opts.batchSize), maxSeqLen);
        const r = batchLoss(model, batch, lora, 1, null);
        const [oldNll, oldCorrect] = [nllSum, correctSum];
        nllSum = tf.add(nllSum, r.loss);
        correctSum = tf.add(correctSum, r.correct);
        [oldNll, oldCorrect, r.loss, r.correct].forEach((t) => t.dispose());
        weightSum += batch.weightSum;
        targets += batch.weights.reduce((n, w) => n + (w > 0 ? 1 : 0), 0);
      }
      const summary = tf.stack([nllSum, correctSum]);
      const [nll, correct] = await summary.data();
      summary.dispose();
      return { loss: weightSum > 0 ? nll / weightSum : 0, tokenAccuracy: targets > 0 ? correct / targets : 0 };
    } finally {
      nllSum.dispose();
      correctSum.dispose();
    }
  }

  /** A flat [P] vector back into per-tensor arrays named like `trainables`. */
  async function splitFlat(flat: Tensor): Promise<WeightMap> {
    const data = (await flat.data()) as Float32Array;
    const out: WeightMap = new Map();
    let offset = 0;
    trainables.forEach(([name, v], i) => {
      out.set(name, { shape: [...v.shape], data: data.slice(offset, offset + sizes[i]) });
      offset += sizes[i];
    });
    return out;
  }

  async function checkpoint(): Promise<TrainerCheckpoint> {
    assertAlive();
    const { initialAdapter: _ignored, ...plainOptions } = opts;
    return {
      format: 'tunelab-trainer-checkpoint',
      version: 1,
      options: plainOptions,
      step: stepCount,
      trainable: await readWeights(trainables),
      adamM: await splitFlat(moments.m),
      adamV: await splitFlat(moments.v),
      dataOrder: order.snapshot(),
      dropoutRng: dropoutRng.state(),
      base: { modelType: model.config.model_type, numParams: model.numParams },
    };
  }

  return {
    options: opts,
    lora,
    get stepCount() {
      return stepCount;
    },
    ready: halfBase ? halfBase.ready : Promise.resolve(),
    step,
    evaluate,
    checkpoint,
    adapterWeights: () => (lora ? lora.exportWeights() : model.exportWeights()),
    dispose() {
      if (disposed) return;
      disposed = true;
      halfBase?.release();
      moments.m.dispose();
      moments.v.dispose();
      lora?.dispose();
    },
  };
}
