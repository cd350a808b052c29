// One optimizer step, top to bottom: draw the micro-batches, forward + backward each, sum gradients, one summary readback, AdamW.
import { tf, type Tensor } from '../backend/tf';
import { fusedAdamWStep } from '../backend/kernels/adamw/adamw-update';
import { stepSummary } from '../backend/kernels/step-summary/step-summary';
import { useFusedKernels } from '../backend/kernels/webgpu-backend';
import { deviceMemoryMeter } from '../backend/memory-meter';
import { NonFiniteLossError } from '../errors';
import { adamwAssignFlat } from './adamw';
import { makeBatch, type TokenBatch } from './batch';
import { dpoBatchLoss, makePairBatch, referenceLogProbs, type PairBatch } from './dpo-loss';
import { batchLoss } from './loss';
import { learningRateAt } from './schedule';
import type { TrainingState } from './trainer-setup';

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
  /** WebGPU only: the most GPU buffer bytes in use at once during this step (weights included), as measured. */
  peakDeviceBytes?: number;
  /** DPO only: means over the step's pairs, as TRL logs them (rewards/chosen, rewards/rejected, rewards/accuracies, rewards/margins). */
  dpo?: DpoStepStats;
}

export interface DpoStepStats {
  /** Mean β·(log π(chosen) − log π_ref(chosen)). */
  rewardChosen: number;
  /** Mean β·(log π(rejected) − log π_ref(rejected)). */
  rewardRejected: number;
  /** Share of pairs whose chosen reward exceeds the rejected one. */
  rewardAccuracy: number;
  /** Mean chosen − rejected reward. */
  rewardMargin: number;
  /** Mean summed log-probability of the chosen completions under the policy (TRL's logps/chosen). */
  logpChosen: number;
}

export async function trainStep(s: TrainingState): Promise<StepStats> {
  const { model, opts, stream, order, examples, maxSeqLen, lora, drawDropoutSeed, variables, halfBase } = s;
  await halfBase?.ready;
  const meter = deviceMemoryMeter();
  meter?.resetPeak();
  const started = performance.now();
  const lr = learningRateAt(opts, s.stepCount);
  const dpo = opts.objective === 'dpo' ? { beta: opts.dpoBeta ?? 0.1, labelSmoothing: opts.dpoLabelSmoothing ?? 0 } : null;
  const draw = (micro: number) => (stream ? stream.stream(s.stepCount, micro) : order.take(opts.batchSize).map((i) => examples[i]));
  const batches: (TokenBatch | PairBatch)[] = Array.from({ length: opts.gradAccumSteps }, (_, micro) => (dpo ? makePairBatch(draw(micro), maxSeqLen) : makeBatch(draw(micro), maxSeqLen)));
  // SFT: the weighted mean over the step's targets; DPO: the mean over the step's pairs.
  const weightSum = dpo ? batches.reduce((n, b) => n + (b as PairBatch).pairs, 0) : batches.reduce((n, b) => n + b.weightSum, 0);
  const denominator = weightSum > 0 ? weightSum : 1;
  const checkpoint = opts.gradientCheckpointing ? new Set<Tensor>(variables) : null;
  let gradSums: Tensor[] | null = null;
  let flatGrad: Tensor | null = null;
  // Sums over micro-batches; the first micro-batch's values are taken as they are (no add dispatches).
  let lossSum: Tensor | null = null;
  let correctSum: Tensor | null = null;
  let rewardSum: Tensor | null = null;
  let targets = 0;
  let tokens = 0;
  try {
    for (const batch of batches) {
      let correct: Tensor | null = null;
      let rewards: Tensor | null = null;
      // DPO: the reference pass first (adapter off, or the frozen reference adapter; outside the gradient tape), then the policy pass with its backward.
      const reference = dpo ? referenceLogProbs(model, batch as PairBatch, s.referenceLora) : null;
      const { value, grads } = tf.variableGrads(() => {
        if (dpo) {
          const r = dpoBatchLoss(model, batch as PairBatch, lora, reference!, dpo, denominator, drawDropoutSeed, checkpoint);
          correct = tf.keep(r.correct);
          rewards = tf.keep(r.rewards);
          return r.loss as tf.Scalar;
        }
        const r = batchLoss(model, batch, lora, denominator, drawDropoutSeed, checkpoint);
        correct = tf.keep(r.correct);
        // Gradient ascent: the gradient of −loss (the summed value is negated back after the readback).
        return (opts.gradientAscent ? tf.neg(r.loss) : r.loss) as tf.Scalar;
      }, variables);
      reference?.dispose();
      if (rewards) {
        const previous: Tensor | null = rewardSum;
        rewardSum = previous ? tf.add(previous, rewards) : rewards;
        if (previous) {
          previous.dispose();
          (rewards as Tensor).dispose();
        }
      }
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
      targets += dpo ? batch.weights.subarray(0, batch.weights.length / 2).reduce((n, w) => n + (w > 0 ? 1 : 0), 0) : batch.weights.reduce((n, w) => n + (w > 0 ? 1 : 0), 0);
      tokens += batch.tokens;
    }
    const grads = gradSums!;
    flatGrad = tf.tidy(() => tf.concat(grads.map((g) => tf.reshape(g, [-1])))); // [P]
    const fused = useFusedKernels();
    const summary = stepSummary(flatGrad, lossSum!, correctSum!, fused); // [loss, ‖g‖², correct]
    const hyper = { lr, beta1: opts.betas[0], beta2: opts.betas[1], eps: opts.eps, weightDecay: opts.weightDecay };
    // On WebGPU the update is queued before the readback: clipping and the non-finite guard run in the kernels,
    // so the GPU does not idle while the CPU decides; a non-finite step leaves weights and s.moments unchanged.
    if (fused) {
      fusedAdamWStep(variables, flatGrad, s.moments, summary, { ...hyper, maxGradNorm: opts.maxGradNorm, t: s.stepCount + 1 }); // in place
    }
    const [summedLoss, normSquared, correctCount] = await summary.data();
    const loss = opts.gradientAscent ? -summedLoss : summedLoss;
    summary.dispose();
    if (!Number.isFinite(loss) || !Number.isFinite(normSquared)) {
      throw new NonFiniteLossError(
        `Training diverged at step ${s.stepCount + 1}: the ${Number.isFinite(loss) ? 'gradient' : 'loss'} is ${Number.isFinite(loss) ? normSquared : loss}. No weights were changed.`,
        'Lower the learning rate, turn on gradient clipping, or resume from the last checkpoint.',
      );
    }
    const gradNorm = Math.sqrt(normSquared);
    if (!fused) {
      const clip = opts.maxGradNorm > 0 ? Math.min(1, opts.maxGradNorm / (gradNorm + 1e-6)) : 1;
      s.moments = adamwAssignFlat(variables, flatGrad!, s.moments, hyper, s.stepCount + 1, clip);
    }
    s.stepCount++;
    const dpoStats = rewardSum ? dpoStatsOf(await (rewardSum as Tensor).data(), denominator) : undefined;
    return {
      step: s.stepCount,
      loss,
      lr,
      gradNorm,
      tokens,
      tokenAccuracy: targets > 0 ? correctCount / targets : 0,
      epoch: order.epoch,
      ms: performance.now() - started,
      ...(meter && { peakDeviceBytes: meter.read().peakLiveBytes }),
      ...(dpoStats && { dpo: dpoStats }),
    };
  } finally {
    gradSums?.forEach((t) => t.dispose());
    flatGrad?.dispose();
    lossSum?.dispose();
    correctSum?.dispose();
    (rewardSum as Tensor | null)?.dispose();
  }
}

/** The step's reward sums [Σ chosen, Σ rejected, accurate pairs, Σ chosen log-prob] as means over its `pairs`. */
function dpoStatsOf(sums: ArrayLike<number>, pairs: number): DpoStepStats {
  const [chosen, rejected, accurate, logp] = Array.from(sums, (v) => v / pairs);
  return { rewardChosen: chosen, rewardRejected: rejected, rewardAccuracy: accurate, rewardMargin: chosen - rejected, logpChosen: logp };
}
