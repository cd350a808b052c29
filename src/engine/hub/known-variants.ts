// Refusals that name well-known relatives of the supported families (Gemma 3 multimodal, Gemma 2, …) and what to pick instead.
import { UnsupportedArchitectureError } from '../errors';

const GEMMA3_TEXT = 'Pick a Gemma 3 text checkpoint (Gemma3ForCausalLM, model_type gemma3_text), e.g. google/gemma-3-270m or google/gemma-3-1b-it.';

const KNOWN: Record<string, { what: string; hint: string }> = {
  gemma3: {
    what: "Gemma 3's multimodal model (Gemma3ForConditionalGeneration, model_type \"gemma3\": a SigLIP image encoder around the text model, with rope_scaling on its global layers)",
    hint: GEMMA3_TEXT,
  },
  gemma3n: { what: 'Gemma 3n (model_type "gemma3n": per-layer embeddings, AltUp and audio/vision towers)', hint: GEMMA3_TEXT },
  gemma2: { what: 'Gemma 2 (Gemma2ForCausalLM: attention and final-logit soft-capping, no q/k norms)', hint: GEMMA3_TEXT },
  gemma: { what: 'Gemma 1 (GemmaForCausalLM)', hint: GEMMA3_TEXT },
  bert: {
    what: 'a BERT encoder (BertModel, e.g. a sentence-transformers embedding model), not a causal language model',
    hint: 'Load it as an embedding model (TuneLab runs BERT encoders as embedders), or pick a causal LM to fine-tune for text.',
  },
};

/** The named refusal for a known unsupported model_type, or null; `supported` lists what TuneLab runs. */
export function knownVariantRefusal(modelType: unknown, supported: string): UnsupportedArchitectureError | null {
  const known = typeof modelType === 'string' ? KNOWN[modelType] : undefined;
  if (!known) return null;
  return new UnsupportedArchitectureError(`This model is ${known.what}, which TuneLab does not run; TuneLab supports ${supported}.`, known.hint);
}
