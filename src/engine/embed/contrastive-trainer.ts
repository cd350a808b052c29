// Contrastive fine-tuning of an embedder: batches without duplicate texts, the ranking loss, clipping and AdamW on one flat vector (train/adamw.ts), HF schedules (train/schedule.ts).
import { tf, type Tensor, type Variable } from '../backend/tf';
import { DatasetParseError, NonFiniteLossError } from '../errors';
import { LoraAdapter } from '../lora/adapter';
import type { LinearModuleSpec } from '../models/params';
import { Rng } from '../rng';
import { adamwAssignFlat, adamwInit, type AdamWMoments } from '../train/adamw';
import { defaultTrainOptions, validateTrainOptions, type TrainOptions } from '../train/options';
import { learningRateAt } from '../train/schedule';
import type { Embedder } from './embedder';
import { rankingLoss, type RankingLossOptions } from './ranking-loss';

/** The model under an embedder: its linear modules (LoRA targets) and every weight (full fine-tuning); CausalLM and BertModel both are. */
export interface TrainableModel {
  readonly linearModules: LinearModuleSpec[];
  namedVariables(): [string, Variable][];
}

/** An embedder whose model can be trained (CausalLmEmbedder, BertEmbedder). */
export interface TrainableEmbedder extends Embedder {
  readonly model: TrainableModel;
}

/** Every kind of linear module the embedder's model has (PEFT's short names): the targets when an adapter takes them all. */
export function allLinearTargets(embedder: TrainableEmbedder): string[] {
  return [...new Set(embedder.model.linearModules.map((m) => m.module.split('.').pop()!))];
}

export interface ContrastivePair {
  anchor: string;
  positive: string;
  negative?: string;
}

/** The optimizer and schedule options of a run (train/options.ts, validated there) and the ranking loss's. */
export type ContrastiveOptions = Pick<TrainOptions, 'method' | 'lora' | 'lr' | 'weightDecay' | 'betas' | 'eps' | 'warmupSteps' | 'schedule' | 'maxSteps' | 'batchSize' | 'maxGradNorm' | 'seed'> & {
  loss?: RankingLossOptions;
  /** Tokens per text at most (default: the embedder's maxLength). */
  maxLength?: number;
};

export interface ContrastiveStepStats {
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  /** Pairs in this step's batch (fewer than batchSize when the data has fewer distinct texts). */
  pairs: number;
  ms: number;
}

/**
 * Draws batches in which no text appears twice (sentence-transformers' NoDuplicatesBatchSampler): a repeated
 * positive would be its own in-batch negative. Pairs are shuffled per epoch; a pair that would repeat a text waits.
 */
export class NoDuplicatesBatches {
  private queue: number[] = [];
  private readonly rng: Rng;
  epoch = 0;

  constructor(
    private readonly pairs: readonly ContrastivePair[],
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  next(size: number): number[] {
    const batch: number[] = [];
    const texts = new Set<string>();
    // Pass 0 reads what is left of this epoch; when that is too few distinct texts, pass 1 appends the next epoch.
    for (let pass = 0; pass < 2 && batch.length < size; pass++) {
      if (pass === 1 || this.queue.length === 0) {
        this.queue.push(...this.rng.shuffle(Array.from({ length: this.pairs.length }, (_, i) => i)));
        this.epoch++;
      }
      const rest: number[] = [];
      for (const i of this.queue) {
        const p = this.pairs[i];
        const own = [p.anchor, p.positive, ...(p.negative !== undefined ? [p.negative] : [])];
        if (batch.length < size && !batch.includes(i) && own.every((t) => !texts.has(t))) {
          batch.push(i);
          own.forEach((t) => texts.add(t));
        } else rest.push(i);
      }
      this.queue = rest;
    }
    return batch;
  }
}

export interface ContrastiveTrainer {
  readonly lora: LoraAdapter | null;
  readonly stepCount: number;
  step(): Promise<ContrastiveStepStats>;
  /** PEFT-named adapter weights (LoRA) or every weight (full). */
  trainedWeights(): Promise<Map<string, { shape: number[]; data: Float32Array }>>;
  dispose(): void;
}

export function createContrastiveTrainer(embedder: TrainableEmbedder, pairs: readonly ContrastivePair[], options: ContrastiveOptions): ContrastiveTrainer {
  const opts = { ...defaultTrainOptions, ...options };
  validateTrainOptions(opts);
  if (pairs.length < 2) throw new DatasetParseError(`Contrastive training needs at least 2 pairs (in-batch negatives); there are ${pairs.length}.`, 'Add more pairs.');
  if (opts.batchSize < 2) throw new DatasetParseError('A batch of 1 pair has no in-batch negatives, so the loss is 0.', 'Use a batch size of 2 or more.');
  const hard = pairs.some((p) => p.negative !== undefined);
  if (hard && !pairs.every((p) => p.negative !== undefined)) {
    const row = pairs.findIndex((p) => p.negative === undefined) + 1;
    throw new DatasetParseError(`Some pairs have a hard negative and some do not (pair ${row} has none).`, 'Give every pair a negative, or none.');
  }
  const seeds = new Rng(opts.seed);
  const initSeed = seeds.fork();
  const batches = new NoDuplicatesBatches(pairs, seeds.fork());
  const lora = opts.method === 'lora' ? LoraAdapter.create(embedder.model.linearModules, opts.lora!, initSeed) : null;
  const variables = (lora ? lora.namedVariables() : embedder.model.namedVariables()).map(([, v]) => v);
  let moments: AdamWMoments = tf.tidy(() => adamwInit(tf.zeros([variables.reduce((n, v) => n + v.size, 0)]))); // [P]
  let stepCount = 0;
  let disposed = false;

  async function step(): Promise<ContrastiveStepStats> {
    if (disposed) throw new Error('This trainer was disposed; create a new one.');
    const started = performance.now();
    const picked = batches.next(opts.batchSize).map((i) => pairs[i]);
    const tok = (texts: string[]) => embedder.tokenize(texts, options.maxLength);
    const inputs = [tok(picked.map((p) => p.anchor)), tok(picked.map((p) => p.positive)), ...(hard ? [tok(picked.map((p) => p.negative!))] : [])];
    const lr = learningRateAt(opts, stepCount);
    let flat: Tensor | null = null;
    try {
      const { value, grads } = tf.variableGrads(() => {
        const [a, p, n] = inputs.map((b) => embedder.embed(b, lora)); // [B, H] each
        return rankingLoss(a, p, n ?? null, options.loss) as tf.Scalar;
      }, variables);
      flat = tf.tidy(() => tf.concat(variables.map((v) => tf.reshape(grads[v.name] ?? tf.zerosLike(v), [-1])))); // [P]
      tf.dispose(Object.values(grads));
      const normSq = tf.tidy(() => tf.sum(tf.square(flat!)));
      const [loss, sq] = [(await value.data())[0], (await normSq.data())[0]];
      tf.dispose([value, normSq]);
      if (!Number.isFinite(loss) || !Number.isFinite(sq)) {
        throw new NonFiniteLossError(`Training diverged at step ${stepCount + 1}: the loss is ${loss}. No weights were changed.`, 'Lower the learning rate or turn on gradient clipping.');
      }
      const gradNorm = Math.sqrt(sq);
      const clip = opts.maxGradNorm > 0 ? Math.min(1, opts.maxGradNorm / (gradNorm + 1e-6)) : 1;
      moments = adamwAssignFlat(variables, flat, moments, { lr, beta1: opts.betas[0], beta2: opts.betas[1], eps: opts.eps, weightDecay: opts.weightDecay }, stepCount + 1, clip);
      stepCount++;
      return { step: stepCount, loss, lr, gradNorm, pairs: picked.length, ms: performance.now() - started };
    } finally {
      flat?.dispose();
      for (const b of inputs) tf.dispose([b.ids, b.mask]);
    }
  }

  return {
    lora,
    get stepCount() {
      return stepCount;
    },
    step,
    async trainedWeights() {
      const out = new Map<string, { shape: number[]; data: Float32Array }>();
      for (const [name, v] of lora ? lora.namedVariables() : embedder.model.namedVariables()) out.set(name, { shape: [...v.shape], data: (await v.data()) as Float32Array });
      return out;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([moments.m, moments.v]);
      lora?.dispose();
    },
  };
}
