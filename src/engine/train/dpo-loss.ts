// The DPO objective on one micro-batch of preference pairs (TRL's sigmoid loss with cDPO label smoothing): summed
// completion log-probs of the policy (the model with its adapter) and of the reference (the same model, adapter off).
import { weightedArgmaxHits } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';
import type { TokenizedExample } from '../data/example';
import { DatasetParseError } from '../errors';
import type { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import { makeBatch, type TokenBatch } from './batch';

/** A micro-batch of P preference pairs: rows 0…P−1 are the chosen sequences, rows P…2P−1 the rejected ones. */
export interface PairBatch extends TokenBatch {
  pairs: number;
}

/** Chosen then rejected sequences of each example in one right-padded batch (one forward pass for both). */
export function makePairBatch(examples: TokenizedExample[], maxSeqLen: number): PairBatch {
  const rejected = examples.map((e) => {
    if (!e.rejected) throw new DatasetParseError(`Example ${e.id} is not a preference pair (it has no rejected answer), so DPO cannot train on it.`, 'Train DPO on a dataset of {"prompt","chosen","rejected"} rows, or pick the SFT objective.');
    return { id: e.id, ids: e.rejected.ids, weights: e.rejected.weights };
  });
  return { ...makeBatch([...examples, ...rejected], maxSeqLen), pairs: examples.length };
}

/**
 * log p(target) per position: logits [N, V], targets int32 [N] → [N], with its gradient dy·(onehot − softmax) supplied
 * here (a gather's gradient is missing on wasm), so no [N, V] one-hot is built in the forward pass.
 */
export function tokenLogProbs(logits: Tensor, targets: Tensor): Tensor {
  const V = logits.shape[1] as number;
  const N = logits.shape[0] as number;
  const op = tf.customGrad(((x: Tensor, save: tf.GradSaveFunc) => {
    save([x, targets]);
    const value = tf.tidy(() => {
      const flatIndex = tf.add(tf.mul(tf.range(0, N, 1, 'int32'), tf.scalar(V, 'int32')), targets); // [N]
      return tf.sub(tf.gather(tf.reshape(x, [-1]), flatIndex), tf.logSumExp(x, 1)); // [N]
    });
    const gradFunc = (dy: Tensor, saved: Tensor[]) =>
      tf.tidy(() => {
        const [savedLogits, savedTargets] = saved;
        const diff = tf.sub(tf.oneHot(savedTargets as tf.Tensor1D, V), tf.softmax(savedLogits)); // [N, V]
        return tf.mul(diff, tf.reshape(dy, [-1, 1]));
      });
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(logits);
}

/** Σ over each row's weighted targets of w·log p(target): [rows]. Weights are 1 on completion tokens, 0 on the prompt and padding. */
export function sequenceLogProbs(
  model: CausalLM,
  batch: TokenBatch,
  lora: LoraAdapter | null,
  dropoutSeed: (() => number) | null = null,
  checkpoint: ReadonlySet<Tensor> | null = null,
): { logps: Tensor; logits: Tensor } {
  const inputs = tf.tensor2d(batch.inputs, [batch.batch, batch.seq], 'int32');
  const targets = tf.tensor1d(batch.targets, 'int32');
  const weights = tf.tensor2d(batch.weights, [batch.batch, batch.seq], 'float32');
  const logits = tf.reshape(model.forward(inputs, { lora, dropoutSeed, checkpoint }), [batch.batch * batch.seq, model.dims.vocabSize]); // [N, V]
  const perToken = tf.reshape(tokenLogProbs(logits, targets), [batch.batch, batch.seq]); // [rows, T]
  return { logps: tf.sum(tf.mul(perToken, weights), 1), logits }; // [rows]
}

export interface DpoSettings {
  beta: number;
  labelSmoothing: number;
}

/**
 * TRL's sigmoid DPO loss per pair from summed log-probs: z = β·((πc − πr) − (refc − refr)),
 * loss = −(1 − ε)·log σ(z) − ε·log σ(−z). policy/reference: [2P] (chosen rows first) → [P].
 */
export function dpoPairLosses(policy: Tensor, reference: Tensor, pairs: number, { beta, labelSmoothing }: DpoSettings): Tensor {
  return tf.tidy(() => {
    const [pc, pr] = tf.split(policy, [pairs, pairs]);
    const [rc, rr] = tf.split(reference, [pairs, pairs]);
    const z = tf.mul(tf.sub(tf.sub(pc, pr), tf.sub(rc, rr)), beta); // [P]
    // −log σ(z) = softplus(−z). (tf.logSigmoid's gradient reads its input after a tidy has freed it.)
    const pos = tf.mul(tf.softplus(tf.neg(z)), 1 - labelSmoothing);
    return labelSmoothing > 0 ? tf.add(pos, tf.mul(tf.softplus(z), labelSmoothing)) : pos;
  });
}

export interface DpoBatchLoss {
  /** Σ pair losses / denominator (scalar): the mean over the optimizer step's pairs when summed over its micro-batches. */
  loss: Tensor;
  /** Chosen-completion targets predicted right by argmax (scalar). */
  correct: Tensor;
  /** [4]: Σ chosen rewards β(πc − refc), Σ rejected rewards β(πr − refr), pairs with chosen reward > rejected, Σ policy chosen log-prob. */
  rewards: Tensor;
}

/**
 * Forward + DPO loss for a micro-batch of pairs. `reference` is the reference model's [2P] summed log-probs (computed
 * by the caller outside the gradient tape); `denominator` is the number of pairs in the whole optimizer step.
 */
export function dpoBatchLoss(
  model: CausalLM,
  batch: PairBatch,
  lora: LoraAdapter | null,
  reference: Tensor,
  settings: DpoSettings,
  denominator: number,
  dropoutSeed: (() => number) | null,
  checkpoint: ReadonlySet<Tensor> | null = null,
): DpoBatchLoss {
  return tf.tidy(() => {
    const P = batch.pairs;
    const { logps, logits } = sequenceLogProbs(model, batch, lora, dropoutSeed, checkpoint); // [2P], [N, V]
    const loss = tf.div(tf.sum(dpoPairLosses(logps, reference, P, settings)), denominator);
    // The metrics are not part of the returned loss, so no gradient flows through them.
    const fixed = logps;
    const [pc, pr] = tf.split(fixed, [P, P]);
    const [rc, rr] = tf.split(reference, [P, P]);
    const chosenRewards = tf.mul(tf.sub(pc, rc), settings.beta); // [P]
    const rejectedRewards = tf.mul(tf.sub(pr, rr), settings.beta); // [P]
    const accurate = tf.sum(tf.cast(tf.greater(chosenRewards, rejectedRewards), 'float32'));
    const rewards = tf.stack([tf.sum(chosenRewards), tf.sum(rejectedRewards), accurate, tf.sum(pc)]); // [4]
    // Token accuracy on the chosen completions only (the rejected rows' weights are zeroed).
    const half = batch.batch * batch.seq / 2;
    const chosenWeights = tf.concat([tf.tensor1d(batch.weights.subarray(0, half), 'float32'), tf.zeros([half])]);
    const correct = weightedArgmaxHits(logits, tf.tensor1d(batch.targets, 'int32'), chosenWeights);
    return { loss, correct, rewards };
  });
}

/** The reference model's [2P] summed completion log-probs, no dropout, no gradient: the same model with the adapter off, or with the frozen reference adapter. */
export function referenceLogProbs(model: CausalLM, batch: PairBatch, referenceLora: LoraAdapter | null = null): Tensor {
  return tf.tidy(() => sequenceLogProbs(model, batch, referenceLora).logps);
}
