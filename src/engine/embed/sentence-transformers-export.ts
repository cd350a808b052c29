// A fine-tuned BERT embedder as a sentence-transformers folder: merged weights, or PEFT adapter files over the named base, plus the module files.
import { RunExportError } from '../errors';
import type { LoadedEncoder } from '../hub/load-encoder';
import { writeSafetensors } from '../io';
import type { LoraAdapter } from '../lora/adapter';
import type { WeightMap } from '../models/config';
import { exportPeftAdapter } from '../peft/adapter-files';
import type { LineageInput, LineageManifest } from '../peft/lineage';
import { mergedWeights } from '../peft/merged-export';
import type { FileBundle } from '../peft/zip';
import type { BertEmbedder } from './bert-embedder';
import { sentenceTransformerModuleFiles } from './sentence-transformers';

export interface SentenceTransformerExport {
  /** The encoder as loaded (its config, tokenizer files and original weights: the pooler is carried over unchanged). */
  loaded: Pick<LoadedEncoder, 'config' | 'tokenizerJson' | 'tokenizerConfig' | 'weights'>;
  embedder: BertEmbedder;
  /** The trained adapter; null for a fully fine-tuned (or untouched) encoder, whose own weights are written. */
  adapter: LoraAdapter | null;
  /**
   * 'merged': config.json + model.safetensors (W + s·B·A, float32) — a standalone model. 'adapter': PEFT's
   * adapter_config.json (base_model_name_or_path = the base) + adapter_model.safetensors + tunelab_lineage.json, which
   * sentence-transformers loads over the base with peft installed.
   */
  mode: 'merged' | 'adapter';
  /** Required with mode 'adapter' (what the lineage file records); the base's repo becomes base_model_name_or_path. */
  lineage?: LineageInput;
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2) + '\n');

/** BertModel's pooler (unused by sentence-transformers) from the original checkpoint, so BertModel.from_pretrained finds every weight. */
function poolerWeights(original: WeightMap): WeightMap {
  const out: WeightMap = new Map();
  for (const [name, w] of original) {
    const bare = name.startsWith('bert.') ? name.slice('bert.'.length) : name;
    if (bare.startsWith('pooler.')) out.set(bare, w);
  }
  return out;
}

/**
 * tokenizer_config.json for a repository that shipped none: AutoTokenizer needs its tokenizer_class in an adapter
 * folder, which has no config.json to infer it from. Lowercasing follows tokenizer.json's BertNormalizer.
 */
function bertTokenizerConfig(tokenizerJson: object, maxLength: number): Record<string, unknown> {
  const normalizer = (tokenizerJson as { normalizer?: { lowercase?: unknown } }).normalizer;
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: normalizer?.lowercase !== false,
    model_max_length: maxLength,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
}

/**
 * Every file of the sentence-transformers folder, by path ("1_Pooling/config.json"; "2_Normalize/" is the empty
 * Normalize folder), ready for zipBundle. SentenceTransformer(path) reads: modules.json → Transformer from the root
 * (config.json + model.safetensors, or adapter_config.json), tokenizer.json, sentence_bert_config.json, the Pooling
 * config, and Normalize.
 */
export async function sentenceTransformerFiles(input: SentenceTransformerExport): Promise<{ files: FileBundle; manifest: LineageManifest | null }> {
  const { embedder, adapter, loaded } = input;
  const files: FileBundle = {
    'tokenizer.json': json(loaded.tokenizerJson),
    'tokenizer_config.json': json(loaded.tokenizerConfig ?? bertTokenizerConfig(loaded.tokenizerJson, embedder.maxLength)),
    ...sentenceTransformerModuleFiles({ pooling: embedder.pooling, normalize: embedder.normalize, maxSeqLength: embedder.maxLength, doLowerCase: embedder.lowercase }, embedder.dimension),
  };
  if (input.mode === 'merged') {
    const weights = await mergedWeights(embedder.model, adapter);
    for (const [name, w] of poolerWeights(loaded.weights)) weights.set(name, w);
    files['config.json'] = json({ ...loaded.config, architectures: ['BertModel'], torch_dtype: 'float32' });
    files['model.safetensors'] = writeSafetensors(weights, { format: 'pt' });
    return { files, manifest: null };
  }
  if (!adapter) throw new RunExportError('There is no adapter to export: this encoder was fine-tuned fully or not at all.', "Export it with mode 'merged'.");
  if (!input.lineage) throw new RunExportError('An adapter export needs its lineage (the base it was trained on).', 'Pass the run lineage.');
  const peft = await exportPeftAdapter(adapter, 'bert', input.lineage);
  return { files: { ...files, ...peft.files }, manifest: peft.manifest };
}
