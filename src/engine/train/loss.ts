// The training objective on one batch: weighted next-token cross-entropy, plus the count of correct weighted targets.
import { tf, type Tensor } from '../backend/tf';
import type { CausalLM } from '../models/causal-lm';
import { headCrossEntropy, type HeadLoss } from '../models/head-loss';
import type { LoraAdapter } from '../lora/adapter';
import type { TokenBatch } from './batch';

export type BatchLoss = HeadLoss;

/**
 * Forward + loss for one batch. `denominator` is the weight sum of the whole optimizer step (all micro-batches).
 * The logits are made and consumed in row chunks that each fit one GPU buffer (head-loss.ts).
 */
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
    const hidden = model.hidden(inputs, { lora, dropoutSeed, checkpoint }); // [N, C]
    const { loss, correct } = headCrossEntropy(hidden, model.headTable(), targets, weights, denominator);
    return { loss, correct };
  });
}
