// Batched sampling: many prompts decoded together (one forward per step over a batch of equal-length prompts), each row with its own seed.
import { tf, type Tensor } from '../backend/tf';
import { JobCancelledError, ShapeMismatchError } from '../errors';
import type { CausalLM } from '../models/causal-lm';
import { KvCache } from '../models/kv-cache';
import { Rng } from '../rng';
import type { FinishReason, GenerateOptions, GenerateResult } from './generate';
import { logProbOf, sampleToken } from './sample';

export interface BatchGenerateOptions extends Omit<GenerateOptions, 'seed' | 'onToken'> {
  /** One sampling seed per prompt (ignored for greedy): row i samples exactly as generate() with seed seeds[i]. */
  seeds: readonly number[];
  /** Most rows decoded together (default 32); larger batches use more memory for the cache and the logits read-back. */
  maxBatch?: number;
  /** Called once per prompt as soon as its row finishes (rows finish out of order). */
  onRowDone?: (index: number, result: GenerateResult) => void;
}

/**
 * The seed row `index` of a call seeded `seed` samples with: distinct per row and independent of the batch it lands
 * in, so a row's completion is the same whether it was generated alone, in any batch, or in a resumed run.
 */
export function rowSeed(seed: number, index: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function cancelled(): JobCancelledError {
  return new JobCancelledError('Generation was cancelled.', '');
}

/**
 * Prompts grouped by token length, then cut into batches of at most maxBatch: rows of one batch share every position,
 * so no padding is needed and each row sees exactly the positions it would see alone (GPT-2's learned positions
 * included). Returns lists of prompt indices.
 */
export function batchPlan(lengths: readonly number[], maxBatch: number): number[][] {
  const byLength = new Map<number, number[]>();
  lengths.forEach((length, i) => byLength.set(length, [...(byLength.get(length) ?? []), i]));
  const batches: number[][] = [];
  for (const length of [...byLength.keys()].sort((a, b) => a - b)) {
    const rows = byLength.get(length) as number[];
    for (let start = 0; start < rows.length; start += maxBatch) batches.push(rows.slice(start, start + maxBatch));
  }
  return batches;
}

interface Row {
  index: number;
  rng: Rng;
  ids: number[];
  logprobs: number[];
}

/** Decodes one batch of equal-length prompts; finished rows leave the batch (their cache rows are dropped). */
async function decodeBatch(model: CausalLM, prompts: readonly ArrayLike<number>[], rowsOf: number[], options: BatchGenerateOptions, out: GenerateResult[]): Promise<void> {
  const length = prompts[rowsOf[0]].length;
  let rows: Row[] = rowsOf.map((index) => ({ index, rng: new Rng(options.seeds[index] ?? 0), ids: [], logprobs: [] }));
  const stops = new Set(options.stopTokenIds ?? []);
  let cache = new KvCache(model.dims.layers);
  const flat = new Int32Array(rows.length * length);
  rows.forEach((r, b) => flat.set(Array.from(prompts[r.index]), b * length));
  let input: Tensor | null = tf.tensor2d(flat, [rows.length, length], 'int32'); // [B, L]
  const finish = (row: Row, finishReason: FinishReason, text?: string) => {
    const result: GenerateResult = { ids: row.ids, logprobs: row.logprobs, finishReason, text: options.decode ? (text ?? options.decode(row.ids)) : undefined };
    out[row.index] = result;
    options.onRowDone?.(row.index, result);
  };
  try {
    if (options.maxNewTokens <= 0) {
      for (const row of rows) finish(row, 'length');
      return;
    }
    for (;;) {
      if (options.signal?.aborted) throw cancelled();
      const logitsTensor = model.forward(input, { cache, lastOnly: true, lora: options.lora }); // [B, 1, V]
      input.dispose();
      input = null;
      const all = (await logitsTensor.data()) as Float32Array; // [B·V]
      logitsTensor.dispose();
      if (options.signal?.aborted) throw cancelled();
      const V = model.dims.vocabSize;
      const limit = options.vocabLimit !== undefined && options.vocabLimit < V ? options.vocabLimit : V;
      const keep: number[] = [];
      rows.forEach((row, b) => {
        const logits = all.subarray(b * V, b * V + limit);
        const id = sampleToken(logits, options, row.rng);
        row.ids.push(id);
        row.logprobs.push(logProbOf(logits, id));
        if (stops.has(id)) return finish(row, 'stop_token');
        if (options.decode && options.stopStrings?.length) {
          const decoded = options.decode(row.ids);
          const hit = options.stopStrings.map((s) => decoded.indexOf(s)).filter((i) => i >= 0);
          if (hit.length) return finish(row, 'stop_string', decoded.slice(0, Math.min(...hit)));
        }
        if (cache.length >= model.dims.maxPositions) return finish(row, 'context');
        if (row.ids.length >= options.maxNewTokens) return finish(row, 'length');
        keep.push(b);
      });
      if (keep.length === 0) return;
      if (keep.length < rows.length) {
        const indices = tf.tensor1d(keep, 'int32');
        const kept = cache.gather(indices);
        indices.dispose();
        cache.dispose();
        cache = kept;
        rows = keep.map((b) => rows[b]);
      }
      input = tf.tensor2d(Int32Array.from(rows.map((r) => r.ids[r.ids.length - 1])), [rows.length, 1], 'int32'); // [B', 1]
    }
  } finally {
    input?.dispose();
    cache.dispose();
  }
}

/**
 * generate() for many prompts at once: the same tokens, log-probabilities and finish reasons as calling generate()
 * on each prompt with its seed, in far fewer forward passes. Results are in prompt order.
 */
export async function generateBatch(model: CausalLM, prompts: readonly ArrayLike<number>[], options: BatchGenerateOptions): Promise<GenerateResult[]> {
  if (options.seeds.length !== prompts.length) throw new ShapeMismatchError(`${prompts.length} prompts but ${options.seeds.length} seeds.`, 'Give one seed per prompt.');
  prompts.forEach((p, i) => {
    if (p.length === 0) throw new ShapeMismatchError(`Prompt ${i + 1} has no tokens.`, 'Start every prompt with at least one token (e.g. BOS).');
    if (p.length > model.dims.maxPositions) throw new ShapeMismatchError(`Prompt ${i + 1} has ${p.length} tokens; the model's context is ${model.dims.maxPositions}.`, 'Shorten that prompt.');
  });
  const out: GenerateResult[] = new Array<GenerateResult>(prompts.length);
  for (const batch of batchPlan(prompts.map((p) => p.length), Math.max(1, options.maxBatch ?? 32))) {
    await decodeBatch(model, prompts, batch, options, out);
  }
  return out;
}
