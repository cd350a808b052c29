// The training objective on one batch: weighted next-token cross-entropy, plus the count of correct weighted targets.
import { softmaxCrossEntropy, weightedArgmaxHits } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';
import type { CausalLM } from '../models/causal-lm';
import type { LoraAdapter } from '../lora/adapter';
import type { TokenBatch } from './batch';

export interface BatchLoss {
  /** Σ w·nll / denominator (scalar). */
  loss: Tensor;
  /** Number of targets with w > 0 whose argmax prediction is right (scalar). */
  correct: Tensor;
}

/** Forward + loss for one batch. `denominator` is the weight sum of the whole optimizer step (all micro-batches). */
export function batchLoss(
  model: CausalLM,
  batch: TokenBatch,
  lora: LoraAdapter | null,
  denominator: number,
  dropoutSeed: (() => number) | null,
  /** Gradient checkpointing: the tensors being trained; null keeps every block's activations. */
  checkpoint: ReadonlySet<Tensor> | null = null,
): BatchLoss {
  return tf.tidy(() => {
    const inputs = tf.tensor2d(batch.inputs, [batch.batch, batch.seq], 'int32');
    const targets = tf.tensor1d(batch.targets, 'int32');
    const weights = tf.tensor1d(batch.weights, 'float32');
    const logits = tf.reshape(model.forward(inputs, { lora, dropoutSeed, checkpoint }), [batch.batch * batch.seq, model.dims.vocabSize]); // [N, V]
    const loss = softmaxCrossEntropy(logits, targets, weights, denominator);
    const correct = weightedArgmaxHits(logits, targets, weights);
    return { loss, correct };
  });
}
