// Analytic FLOP count of one GPT-2 training step (matmuls and attention only), the numerator of trainGflops.
//
// Per token, per layer (d = n_embd, T = sequence length, mlp width 4d):
//   dense forward     2·(3d² + d² + 4d² + 4d²) = 24·d²      (c_attn, attn c_proj, c_fc, mlp c_proj)
//   attention forward 2·d·(T+1): Q·Kᵀ and P·V over the causal triangle only, (T+1)/2 keys per query on average, as
//                     the fused kernels compute it (PaLM's 4·T·d counts the full T×T square, twice the work done)
//   LoRA forward      2·r·(in + out) per targeted module
// Per token, once: the tied lm_head 2·d·V. Embedding gathers, norms, GELU, softmax and the optimizer are not counted.
// Backward: every matmul needs the gradient of its input (1× its forward) and, if its weight trains, of its weight (1× more).
//   full fine-tuning: backward = 2 × forward                         → step = 3 × forward (6·N·tokens + attention)
//   LoRA: frozen dense and lm_head 1×, attention 2×, LoRA 2×, except that nothing below layer 0 trains, so layer 0's
//   c_attn needs no input gradient (neither x·W's nor the adapter's dh·A): work no LoRA step has to do is not counted.

export interface StepFlopsInput {
  d: number;
  layers: number;
  vocab: number;
  /** Sequence length T (positions attended). */
  seq: number;
  /** Tokens in the step: batch × seq. */
  tokens: number;
  /** 'lora' freezes every base weight and trains adapters on the `loraTargets` modules. */
  trainable: 'full' | 'lora';
  loraRank?: number;
  /** PEFT module names: 'c_attn', 'c_proj' (matches attn.c_proj and mlp.c_proj), 'c_fc'. */
  loraTargets?: readonly string[];
}

export interface StepFlops {
  forward: number;
  backward: number;
  total: number;
}

/** The four GPT-2 matmuls of one layer as [PEFT name, in, out]. */
function layerMatmuls(d: number): [string, number, number][] {
  return [
    ['c_attn', d, 3 * d],
    ['c_proj', d, d],
    ['c_fc', d, 4 * d],
    ['c_proj', 4 * d, d],
  ];
}

/** FLOPs of one training step (forward + backward) of a GPT-2-shaped model; see the header for the formula. */
export function gpt2TrainStepFlops(p: StepFlopsInput): StepFlops {
  const { d, layers, vocab, seq, tokens } = p;
  const lora = p.trainable === 'lora';
  const rank = p.loraRank ?? 0;
  const targets = new Set(p.loraTargets ?? []);
  if (lora && (rank <= 0 || targets.size === 0)) throw new Error('gpt2TrainStepFlops: LoRA needs loraRank > 0 and at least one loraTargets module');

  let dense = 0;
  let adapters = 0;
  for (const [name, inDim, outDim] of layerMatmuls(d)) {
    dense += 2 * inDim * outDim;
    if (lora && targets.has(name)) adapters += 2 * rank * (inDim + outDim);
  }
  const attention = 2 * d * (seq + 1);
  const lmHead = 2 * d * vocab;
  // Layer 0's c_attn input gradient (dense, and the adapter's dh·A when c_attn is a target): a LoRA step skips it.
  const layer0InputGrad = 2 * d * 3 * d + (targets.has('c_attn') ? 2 * rank * d : 0);

  // Per token.
  const forward = layers * (dense + attention + adapters) + lmHead;
  const backward = lora
    ? layers * (dense + 2 * attention + 2 * adapters) + lmHead - layer0InputGrad
    : 2 * forward;
  return { forward: forward * tokens, backward: backward * tokens, total: (forward + backward) * tokens };
}

/** GFLOP/s of a step of `flops` FLOPs taking `ms` milliseconds; null when either is unknown. */
export function gflopsPerSecond(flops: number | null, ms: number | null): number | null {
  if (flops === null || ms === null || !(ms > 0)) return null;
  return flops / (ms / 1000) / 1e9;
}

/** 2·M·N·K: FLOPs of one M×K by K×N matmul. */
export function matmulFlops(m: number, n: number, k: number): number {
  return 2 * m * n * k;
}
