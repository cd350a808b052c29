// The model shapes and LoRA setup the bench measures (issue 3 "Speed"): a tiny GPT and a GPT-2-small-shaped model.

/** A GPT-2-architecture model shape plus the batch it is trained on. */
export interface BenchShape {
  model: string;
  vocab: number;
  /** n_embd */
  d: number;
  layers: number;
  heads: number;
  /** Tokens per training sequence (also n_positions). */
  seq: number;
  batch: number;
  /** Decode: prompt tokens, then this many greedy tokens. */
  decodePrompt: number;
  decodeTokens: number;
}

export const TINY_GPT: BenchShape = {
  model: 'tiny-gpt',
  vocab: 512,
  d: 128,
  layers: 4,
  heads: 4,
  seq: 64,
  batch: 8,
  decodePrompt: 16,
  decodeTokens: 48,
};

export const GPT2_SMALL: BenchShape = {
  model: 'gpt2-small-shaped',
  vocab: 50257,
  d: 768,
  layers: 12,
  heads: 12,
  seq: 128,
  batch: 4,
  decodePrompt: 16,
  decodeTokens: 32,
};

/** LoRA used by both the engine step and the baseline step, so both do the same work: all linear layers, r 8. */
export const BENCH_LORA = {
  r: 8,
  lora_alpha: 16,
  lora_dropout: 0,
  target_modules: ['c_attn', 'c_proj', 'c_fc'],
};

/** Parameter count of a GPT-2 with a tied lm_head: wte, wpe, per layer 2 LayerNorms + c_attn + c_proj + c_fc + mlp c_proj, ln_f. */
export function gpt2ParamCount(s: Pick<BenchShape, 'vocab' | 'd' | 'layers' | 'seq'>): number {
  const { vocab, d, layers, seq } = s;
  const perLayer = 2 * (2 * d) + (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d);
  return vocab * d + seq * d + layers * perLayer + 2 * d;
}
