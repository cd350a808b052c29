// Tables too big for one GPU buffer (a 151,936 × 896 Qwen2 embedding is 519 MiB) kept as row chunks, with the
// embedding gather and the output projection computed across the chunks.
import { embeddingLookup, loraLinear } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';
import { GpuMemoryError } from '../errors';

/** Rows per chunk so each chunk of a [rows, cols] float32 table fits in `maxBytes`; [rows] when it fits whole. */
export function rowChunkSizes(name: string, rows: number, cols: number, maxBytes: number): number[] {
  const rowBytes = 4 * cols;
  if (rows * rowBytes <= maxBytes) return [rows];
  const perChunk = Math.floor(maxBytes / rowBytes);
  if (perChunk < 1) {
    throw new GpuMemoryError(
      `One row of ${name} (${cols} float32 values, ${rowBytes} bytes) is larger than this GPU's largest buffer (${maxBytes} bytes), so it cannot be split by rows.`,
      'Use a GPU or browser with higher WebGPU limits, or a smaller model.',
    );
  }
  const sizes: number[] = [];
  for (let start = 0; start < rows; start += perChunk) sizes.push(Math.min(perChunk, rows - start));
  return sizes;
}

/**
 * Rows of a table kept as chunks [rows_k, C] (in order) for ids int32 [N] → [N, C]. Each chunk gathers the ids in
 * its range (others read row 0 and are zeroed), and the parts are summed; a single chunk is a plain lookup. The
 * gradient reaches each chunk through its own gather, so full fine-tuning trains split tables too.
 */
export function chunkedEmbeddingLookup(chunks: Tensor[], ids: Tensor): Tensor {
  if (chunks.length === 1) return embeddingLookup(chunks[0], ids);
  return tf.tidy(() => {
    let start = 0;
    let sum: Tensor | null = null;
    for (const chunk of chunks) {
      const rows = chunk.shape[0] as number;
      const local = tf.sub(ids, tf.scalar(start, 'int32')); // [N]
      const inside = tf.logicalAnd(tf.greaterEqual(local, 0), tf.less(local, rows)); // [N]
      const safe = tf.where(inside, local, tf.zerosLike(local));
      const part = tf.mul(embeddingLookup(chunk, safe), tf.expandDims(tf.cast(inside, 'float32'), 1)); // [N, C]
      sum = sum ? tf.add(sum, part) : part;
      start += rows;
    }
    return sum as Tensor;
  });
}

/**
 * x [N, C] times the chunked table's transpose → logits [N, V]: one matmul per chunk (through the fused linear kernel
 * on WebGPU), joined along V.
 */
export function chunkedProjection(x: Tensor, chunks: Tensor[]): Tensor {
  if (chunks.length === 1) return loraLinear(x, chunks[0], null, null, 'out_in');
  return tf.tidy(() => joinColumns(chunks.map((chunk) => loraLinear(x, chunk, null, null, 'out_in'))));
}

/**
 * parts [N, V_k] → [N, Σ V_k], whose gradient splits dy by the parts' widths. tfjs's own concat keeps every input
 * until the backward pass ends (for their shapes only): for a split head that was a second copy of the logits
 * (Qwen3-0.6B at seq 256: 156 MB). This one keeps nothing.
 */
function joinColumns(parts: Tensor[]): Tensor {
  const widths = parts.map((p) => p.shape[1] as number);
  const join = tf.customGrad(((...args: unknown[]) => {
    const inputs = args.slice(0, parts.length) as Tensor[];
    return { value: tf.concat(inputs, 1), gradFunc: (dy: Tensor) => tf.split(dy, widths, 1) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return join(...parts);
}
