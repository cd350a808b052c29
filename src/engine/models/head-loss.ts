// The training loss from the final hidden states: output head and weighted cross-entropy over row chunks whose logits fit one GPU buffer.
import { bufferLimitBytes } from '../backend/buffer-limit';
import { softmaxCrossEntropy, weightedArgmaxHits } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';
import { GpuMemoryError } from '../errors';
import { chunkedProjection } from './row-chunks';

export interface HeadLoss {
  /** Σ w·nll / denominator (scalar). */
  loss: Tensor;
  /** Number of targets with w > 0 whose argmax prediction is right (scalar). */
  correct: Tensor;
}

/**
 * Sizes of the row chunks of N token rows whose float32 logits [rows, V] each fit `maxBytes`, as equal as possible
 * (equal shapes reuse one compiled program): [N] when all fit. Qwen3-0.6B at seq 256 on a 128 MiB binding limit:
 * the whole [256, 151936] is 148 MiB, so two chunks of 128 rows (74 MiB each).
 */
export function lossRowChunks(N: number, V: number, maxBytes: number): number[] {
  const rowBytes = 4 * V;
  if (N * rowBytes <= maxBytes) return [N];
  const perChunk = Math.floor(maxBytes / rowBytes);
  if (perChunk < 1) {
    throw new GpuMemoryError(
      `One row of logits (${V} float32 values, ${rowBytes} bytes) is larger than this GPU's largest buffer (${maxBytes} bytes).`,
      'Use a GPU or browser with higher WebGPU limits, or a model with a smaller vocabulary.',
    );
  }
  const count = Math.ceil(N / perChunk);
  const base = Math.floor(N / count);
  return Array.from({ length: count }, (_, i) => base + (i < N % count ? 1 : 0));
}

/**
 * x [N, C] (the final hidden states) → logits [N, V] through the head table's row chunks [V_k, C] → the weighted
 * cross-entropy and the argmax hits, one row chunk of tokens at a time, so that no tensor bound to a kernel (the
 * logits, their gradient, the head's parts of them) exceeds `maxBytes`. Each token row's loss and gradient depend
 * on that row alone, so the chunks sum to the unchunked loss and their gradients (into x and, when trained, into
 * the head) are the unchunked ones; with one chunk this is exactly the plain head-then-loss.
 */
export function headCrossEntropy(
  x: Tensor,
  head: Tensor[],
  targets: Tensor,
  weights: Tensor,
  denominator: number,
  maxBytes: number = bufferLimitBytes(),
): HeadLoss {
  return tf.tidy(() => {
    const V = head.reduce((n, t) => n + (t.shape[0] as number), 0);
    const sizes = lossRowChunks(x.shape[0] as number, V, maxBytes);
    if (sizes.length === 1) {
      const logits = chunkedProjection(x, head); // [N, V]
      return { loss: softmaxCrossEntropy(logits, targets, weights, denominator), correct: weightedArgmaxHits(logits, targets, weights) };
    }
    const xs = tf.split(x, sizes, 0); // [R_i, C] each; the split's gradient concatenates theirs
    const ts = tf.split(targets, sizes, 0);
    const ws = tf.split(weights, sizes, 0);
    const losses: Tensor[] = [];
    const hits: Tensor[] = [];
    for (let i = 0; i < sizes.length; i++) {
      const logits = chunkedProjection(xs[i], head); // [R_i, V]
      losses.push(softmaxCrossEntropy(logits, ts[i], ws[i], denominator));
      hits.push(weightedArgmaxHits(logits, ts[i], ws[i]));
    }
    return { loss: tf.addN(losses), correct: tf.addN(hits) };
  });
}
