// One optimizer step, top to bottom: draw the micro-batches, forward + backward each, sum gradients, one summary readback, AdamW.
import { tf, type Tensor } from '../backend/tf';
import { fusedAdamWStep } from '../backend/kernels/adamw/adamw-update';
import { stepSummary } from '../backend/kernels/step-summary/step-summary';
import { useFusedKernels } from '../backend/kernels/webgpu-backend';
import { deviceMemoryMeter } from '../backend/memory-meter';
import { NonFiniteLossError } from '../errors';
import { adamwAssignFlat } from './adamw';
import { makeBatch } from './batch';
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
}

export async function trainStep(s: TrainingState): Promise<StepStats> {
  const { model, opts, stream, order, examples, maxSeqLen, lora, drawDropoutSeed, variables, halfBase } = s;
  await halfBase?.ready;
  const meter = deviceMemoryMeter();
  meter?.resetPeak();
  const started = performance.now();
  const lr = learningRateAt(opts, s.stepCount);
  const batches = Array.from({ length: opts.gradAccumSteps }, (_, micro) =>
    makeBatch(stream ? stream.stream(s.stepCount, micro) : order.take(opts.batchSize).map((i) => examples[i]), maxSeqLen),
  );
  const weightSum = batches.reduce((s, b) => s + b.weightSum, 0);
  const denominator = weightSum > 0 ? weightSum : 1;
  const checkpoint = opts.gradientCheckpointing ? new Set<Tensor>(variables) : null;
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
        const r = batchLoss(model, batch, lora, denominator, drawDropoutSeed, checkpoint);
        correct = tf.keep(r.correct);
        // Gradient ascent: the gradient of −loss (the summed value is negated back after the readback).
        return (opts.gradientAscent ? tf.neg(r.loss) : r.loss) as tf.Scalar;
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
    return { step: s.stepCount, loss, lr, gradNorm, tokens, tokenAccuracy: targets > 0 ? correctCount / targets : 0, epoch: order.epoch, ms: performance.now() - started, ...(meter && { peakDeviceBytes: meter.read().peakLiveBytes }) };
  } finally {
    gradSums?.forEach((t) => t.dispose());
    flatGrad?.dispose();
    lossSum?.dispose();
    correctSum?.dispose();
  }
}
