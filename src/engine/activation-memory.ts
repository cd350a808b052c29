// Activation bytes at the backward peak of one micro-batch on the fused WebGPU path; pure, so the Train page and the engine's estimate share it.

/** The widths that decide activation memory (a model's dims, or what the page knows of a model). */
export interface ActivationWidths {
  family: 'gpt2' | 'llama';
  layers: number;
  hidden: number;
  /** MLP width. */
  intermediate: number;
  /** Query width, heads · head_dim (Llama); unused for GPT-2, whose packed qkv counts in `hidden`. */
  qWidth: number;
  /** Key/value width, kv heads · head_dim (Llama). */
  kvWidth: number;
  vocab: number;
  /** Qwen3 and Gemma 3: RMSNorm over each q and k head before rotary. */
  qkNorm?: boolean;
}

/**
 * Floats per token that one transformer block holds at the peak of the backward pass on the fused WebGPU path:
 * the tensors its kernels save for the backward (norm inputs, q/k/v and their rotary halves, attention output,
 * MLP inputs) and, because tfjs keeps every intermediate gradient until the whole backward pass ends, about as many
 * gradients again. The attention kernels keep no [T, T] scores (online softmax), so nothing here grows with T².
 * Coefficients per unit of width were measured with tfjs's buffer manager on Dawn, varying one width at a time;
 * train/memory-webgpu.test.ts checks the whole estimate against measured peaks (within ±25%).
 */
export function blockFloatsPerToken(w: ActivationWidths): number {
  if (w.family === 'gpt2') return 15 * w.hidden + 4.5 * w.intermediate;
  // Per-head q/k norms (Qwen3, Gemma 3) keep their normalised q and k and those gradients: 2 more floats per q/k width
  // (counted, not fitted: the coefficients above were measured on Llama shapes without them).
  const qkNorm = w.qkNorm ? 2 * (w.qWidth + w.kvWidth) : 0;
  return 13.5 * w.hidden + 7 * w.intermediate + 19 * w.qWidth + 19 * w.kvWidth + qkNorm;
}

/**
 * Activations at the backward peak, in bytes, for `tokens` = batch · sequence. Without checkpointing every block's
 * share is held at once; with it, each block keeps only its input (and later its input's gradient) and one block at a
 * time is recomputed with its own saved tensors and gradients. The loss keeps the logits and their gradient, 2·V
 * floats per token, either way. `loraDropoutWidth`: Σ over all LoRA modules with dropout of 2·in (the dropped input
 * and its gradient).
 */
export function activationBytes(w: ActivationWidths, tokens: number, checkpointing: boolean, loraDropoutWidth = 0): number {
  const block = blockFloatsPerToken(w) + loraDropoutWidth / w.layers;
  const blocks = checkpointing ? w.layers * 2 * w.hidden + block : w.layers * block;
  return tokens * (blocks + 4 * w.hidden + 2 * w.vocab) * 4;
}
