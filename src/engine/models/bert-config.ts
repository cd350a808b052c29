// BERT encoder config (HF BertConfig fields), its validation with named refusals, HF weight names and LoRA targets.
import { ModelConfigError, UnsupportedArchitectureError } from '../errors';
import { positiveInt, positiveNumber } from './dims';
import type { LinearModuleSpec, ParamInit, ParamSpec } from './params';

/** config.json of a BertModel checkpoint (sentence-transformers/all-MiniLM-L6-v2, BAAI/bge-small-en-v1.5); fields as HF's BertConfig. */
export interface BertConfig {
  model_type: 'bert';
  architectures?: string[];
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  /** Only 'gelu' (exact erf GELU, BERT's own) is implemented. */
  hidden_act?: string;
  max_position_embeddings: number;
  /** HF default 2. */
  type_vocab_size?: number;
  /** HF default 1e-12. */
  layer_norm_eps?: number;
  /** Only 'absolute' (HF's default) is implemented. */
  position_embedding_type?: string;
  pad_token_id?: number;
}

export interface BertDims {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  headDim: number;
  intermediate: number;
  maxPositions: number;
  typeVocabSize: number;
  normEps: number;
}

const SUPPORTED = 'BERT encoders (model_type "bert", BertModel: sentence-transformers/all-MiniLM-L6-v2, BAAI/bge-small-en-v1.5)';

/** Encoders people use for retrieval that are not BERT's exact architecture, each with what differs. */
const KNOWN_ENCODERS: Record<string, string> = {
  roberta: 'RoBERTa (model_type "roberta": positions offset by padding_idx + 1, byte-level BPE tokenizer)',
  'xlm-roberta': 'XLM-RoBERTa (model_type "xlm-roberta", e.g. multilingual-e5, bge-m3: RoBERTa positions, SentencePiece tokenizer)',
  modernbert: 'ModernBERT (model_type "modernbert": rotary positions, GeGLU, alternating local/global attention)',
  distilbert: 'DistilBERT (model_type "distilbert": other weight names, no token types)',
  mpnet: 'MPNet (model_type "mpnet", e.g. all-mpnet-base-v2: relative position buckets)',
  nomic_bert: 'Nomic BERT (model_type "nomic_bert": rotary positions, SwiGLU)',
  new: 'the "new" architecture of gte-*-v1.5 (rotary positions, GLU)',
  electra: 'ELECTRA (model_type "electra": embedding projection, other weight names)',
  deberta: 'DeBERTa (disentangled relative attention)',
  'deberta-v2': 'DeBERTa-v2/v3 (disentangled relative attention)',
  t5: 'T5 encoders (relative position buckets, RMSNorm)',
};

/** The named refusal for a known non-BERT encoder, or null. */
export function knownEncoderRefusal(modelType: unknown): UnsupportedArchitectureError | null {
  const what = typeof modelType === 'string' ? KNOWN_ENCODERS[modelType] : undefined;
  if (!what) return null;
  return new UnsupportedArchitectureError(`This model is ${what}, which TuneLab does not run as an encoder yet; TuneLab supports ${SUPPORTED}.`, 'Pick a BERT sentence-transformers model such as sentence-transformers/all-MiniLM-L6-v2 or BAAI/bge-small-en-v1.5.');
}

/** Validates a BERT config.json (refusing, by name, what is not implemented) and reduces it to the forward pass's sizes. */
export function bertDims(config: BertConfig): BertDims {
  const raw = config as unknown as Record<string, unknown>;
  if (raw.model_type !== 'bert') {
    throw knownEncoderRefusal(raw.model_type) ?? new UnsupportedArchitectureError(`model_type ${JSON.stringify(raw.model_type)} is not a BERT encoder; TuneLab supports ${SUPPORTED}.`, 'Pick a BERT sentence-transformers model such as sentence-transformers/all-MiniLM-L6-v2.');
  }
  const position = raw.position_embedding_type ?? 'absolute';
  if (position !== 'absolute') {
    throw new UnsupportedArchitectureError(`position_embedding_type "${String(position)}" is not supported; TuneLab's BERT implements absolute position embeddings only.`, 'Pick a BERT checkpoint with absolute positions (all-MiniLM-L6-v2, bge-small-en-v1.5).');
  }
  const act = raw.hidden_act ?? 'gelu';
  if (act !== 'gelu') {
    throw new UnsupportedArchitectureError(`BERT hidden_act "${String(act)}" is not supported; TuneLab implements BERT's exact (erf) GELU, hidden_act "gelu".`, 'Pick a checkpoint with hidden_act "gelu", as the released BERT sentence encoders have.');
  }
  if (raw.is_decoder === true || raw.add_cross_attention === true) {
    throw new UnsupportedArchitectureError('This BERT config is a decoder (is_decoder or add_cross_attention); TuneLab runs BERT as a bidirectional encoder only.', 'Pick an encoder checkpoint (BertModel).');
  }
  const hidden = positiveInt(config.hidden_size, 'hidden_size');
  const heads = positiveInt(config.num_attention_heads, 'num_attention_heads');
  if (hidden % heads !== 0) throw new ModelConfigError(`hidden_size ${hidden} is not divisible by num_attention_heads ${heads}.`, 'Check config.json.');
  return {
    vocabSize: positiveInt(config.vocab_size, 'vocab_size'),
    hidden,
    layers: positiveInt(config.num_hidden_layers, 'num_hidden_layers'),
    heads,
    headDim: hidden / heads,
    intermediate: positiveInt(config.intermediate_size, 'intermediate_size'),
    maxPositions: positiveInt(config.max_position_embeddings, 'max_position_embeddings'),
    typeVocabSize: config.type_vocab_size == null ? 2 : positiveInt(config.type_vocab_size, 'type_vocab_size'),
    normEps: config.layer_norm_eps == null ? 1e-12 : positiveNumber(config.layer_norm_eps, 'layer_norm_eps'),
  };
}

/** The six linear layers of each block, by HF module path; PEFT's BERT targets are their last name parts (query, key, value, dense). */
export function bertLinearModules(d: BertDims): LinearModuleSpec[] {
  const out: LinearModuleSpec[] = [];
  const lin = (module: string, inFeatures: number, outFeatures: number): LinearModuleSpec => ({ module, inFeatures, outFeatures, layout: 'out_in', hasBias: true });
  for (let i = 0; i < d.layers; i++) {
    const p = `encoder.layer.${i}`;
    out.push(lin(`${p}.attention.self.query`, d.hidden, d.hidden));
    out.push(lin(`${p}.attention.self.key`, d.hidden, d.hidden));
    out.push(lin(`${p}.attention.self.value`, d.hidden, d.hidden));
    out.push(lin(`${p}.attention.output.dense`, d.hidden, d.hidden));
    out.push(lin(`${p}.intermediate.dense`, d.hidden, d.intermediate));
    out.push(lin(`${p}.output.dense`, d.intermediate, d.hidden));
  }
  return out;
}

/** Every weight BertModel's encoder reads (the pooler is not: sentence-transformers pools the token states), as HF initialises them. */
export function bertParamSpecs(d: BertDims): ParamSpec[] {
  const normal: ParamInit = { kind: 'normal', std: 0.02 };
  const ln = (name: string): ParamSpec[] => [
    { name: `${name}.weight`, shape: [d.hidden], init: { kind: 'ones' } },
    { name: `${name}.bias`, shape: [d.hidden], init: { kind: 'zeros' } },
  ];
  const specs: ParamSpec[] = [
    { name: 'embeddings.word_embeddings.weight', shape: [d.vocabSize, d.hidden], init: normal },
    { name: 'embeddings.position_embeddings.weight', shape: [d.maxPositions, d.hidden], init: normal },
    { name: 'embeddings.token_type_embeddings.weight', shape: [d.typeVocabSize, d.hidden], init: normal },
    ...ln('embeddings.LayerNorm'),
  ];
  const modules = bertLinearModules(d);
  for (let i = 0; i < d.layers; i++) {
    const p = `encoder.layer.${i}`;
    const mine = modules.filter((m) => m.module.startsWith(`${p}.`));
    const linear = (m: LinearModuleSpec): ParamSpec[] => [
      { name: `${m.module}.weight`, shape: [m.outFeatures, m.inFeatures], init: normal },
      { name: `${m.module}.bias`, shape: [m.outFeatures], init: { kind: 'zeros' } },
    ];
    specs.push(...mine.slice(0, 4).flatMap(linear), ...ln(`${p}.attention.output.LayerNorm`));
    specs.push(...mine.slice(4).flatMap(linear), ...ln(`${p}.output.LayerNorm`));
  }
  return specs;
}
