// Loads a BERT sentence encoder in the Hub layout (config, tokenizer, safetensors, sentence-transformers module files) from any CheckpointSource.
import { parsePoolingConfig, parseModulesJson, parseSbertConfig, DEFAULT_ST_SETTINGS, MODULES_FILE, SBERT_CONFIG_FILE, type SentenceTransformerSettings } from '../embed/sentence-transformers';
import { CheckpointLayoutError, ModelConfigError, UnsupportedArchitectureError } from '../errors';
import { bertDims, knownEncoderRefusal, type BertConfig } from '../models/bert-config';
import type { WeightMap } from '../models/config';
import { sha256OfBytes } from './hash';
import { decodeWeights, jsonValidator, parseJson, readWeightFiles, weightsFingerprint, type CheckpointIdentity } from './load';
import { localModelName } from './local-identity';
import type { CheckpointSource } from './source';

export interface LoadedEncoder {
  config: BertConfig;
  /** Weights under the checkpoint's names (with or without "bert."); integer buffers such as position_ids are left out. */
  weights: WeightMap;
  tokenizerJson: object;
  tokenizerConfig: object | null;
  /** Pooling, normalisation and length from modules.json, 1_Pooling/config.json and sentence_bert_config.json. */
  sentenceTransformers: SentenceTransformerSettings;
  identity: CheckpointIdentity;
  files: { name: string; bytes: number }[];
  dtypes: string[];
}

/** What a config.json is: a causal LM TuneLab trains for text, or an encoder it runs as an embedder (BERT, or a named unsupported encoder). */
export function checkpointKind(configJson: unknown): 'encoder' | 'causal-lm' {
  const type = (configJson as { model_type?: unknown } | null)?.model_type;
  return type === 'bert' || knownEncoderRefusal(type) !== null ? 'encoder' : 'causal-lm';
}

/** Validates config.json as a BERT encoder (refusing RoBERTa, ModernBERT, relative positions, … by name). */
export function parseEncoderConfig(json: unknown): BertConfig {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ModelConfigError('config.json is not a JSON object.', 'Use the config.json from the model repository.');
  const raw = json as Record<string, unknown>;
  if (raw.quantization_config !== undefined) throw new UnsupportedArchitectureError('This checkpoint is quantized (config.json has quantization_config); TuneLab loads F32, F16 and BF16 weights.', 'Pick the unquantized repository of the same model.');
  const config = raw as unknown as BertConfig;
  bertDims(config); // refuses what is not implemented, naming it
  return config;
}

/** position_ids / token_type_ids buffers older checkpoints saved as integers: not weights. */
const isBuffer = (name: string, dtype: string) => /(^|\.)(position_ids|token_type_ids)$/.test(name) && !dtype.startsWith('F') && dtype !== 'BF16';

async function readJson(source: CheckpointSource, file: string): Promise<{ value: unknown; bytes: Uint8Array } | null> {
  const bytes = await source.read(file, jsonValidator(file));
  return bytes ? { value: parseJson(bytes, file), bytes } : null;
}

/**
 * Reads and checks a sentence encoder: config first (an unsupported encoder is refused before any weight downloads),
 * then tokenizer.json, the sentence-transformers files (or their defaults for a plain BertModel repository) and the
 * safetensors weights.
 */
export async function loadEncoderCheckpoint(source: CheckpointSource): Promise<LoadedEncoder> {
  const configFile = await readJson(source, 'config.json');
  if (!configFile) throw new CheckpointLayoutError(`${source.label} has no config.json.`, 'Pick the folder (or repository) that holds config.json, tokenizer.json and the safetensors weights.');
  const config = parseEncoderConfig(configFile.value);
  const dims = bertDims(config);
  const tokenizerFile = await readJson(source, 'tokenizer.json');
  if (!tokenizerFile) throw new CheckpointLayoutError(`${source.label} has no tokenizer.json.`, 'TuneLab needs the fast-tokenizer file tokenizer.json; pick a repository that ships it.');
  const tokenizerConfig = await readJson(source, 'tokenizer_config.json');
  const read: { name: string; bytes: number }[] = [
    { name: 'config.json', bytes: configFile.bytes.length },
    { name: 'tokenizer.json', bytes: tokenizerFile.bytes.length },
    ...(tokenizerConfig ? [{ name: 'tokenizer_config.json', bytes: tokenizerConfig.bytes.length }] : []),
  ];

  let settings: SentenceTransformerSettings = DEFAULT_ST_SETTINGS;
  const modulesFile = await readJson(source, MODULES_FILE);
  if (modulesFile) {
    const { poolingPath, normalize } = parseModulesJson(modulesFile.value);
    const poolingFileName = `${poolingPath}/config.json`;
    const poolingFile = await readJson(source, poolingFileName);
    if (!poolingFile) throw new CheckpointLayoutError(`modules.json names the pooling folder "${poolingPath}", but ${source.label} has no ${poolingFileName}.`, 'Download the whole repository (for local files, pick the folder so the pooling folder comes along).');
    const sbert = await readJson(source, SBERT_CONFIG_FILE);
    const { maxSeqLength, doLowerCase } = parseSbertConfig(sbert?.value ?? {});
    settings = { pooling: parsePoolingConfig(poolingFile.value, dims.hidden), normalize, maxSeqLength, doLowerCase, source: 'modules.json' };
    if (settings.pooling === 'last') throw new UnsupportedArchitectureError('This BERT model pools its last token, which an encoder never does in TuneLab.', 'Check 1_Pooling/config.json; BERT sentence encoders pool by mean or cls.');
    read.push({ name: MODULES_FILE, bytes: modulesFile.bytes.length }, { name: poolingFileName, bytes: poolingFile.bytes.length }, ...(sbert ? [{ name: SBERT_CONFIG_FILE, bytes: sbert.bytes.length }] : []));
  }

  const { files, index } = await readWeightFiles(source);
  const { weights, dtypes } = decodeWeights(files, index, isBuffer);
  const vocab = (tokenizerFile.value as { model?: { vocab?: unknown } }).model?.vocab;
  const tokenizerSize = vocab && typeof vocab === 'object' ? Object.keys(vocab).length : 0;
  if (tokenizerSize > dims.vocabSize) {
    throw new ModelConfigError(`tokenizer.json has ${tokenizerSize} tokens but config.json's vocab_size is ${dims.vocabSize}.`, 'The tokenizer belongs to another model; download both from the same repository.');
  }
  const weightsSha256 = await weightsFingerprint(files, index);
  const named = source.local ? localModelName(source.local.givenName, configFile.value, 'bert', weightsSha256) : { name: source.repo, nameSource: 'hub' as const };
  return {
    config,
    weights,
    tokenizerJson: tokenizerFile.value as object,
    tokenizerConfig: (tokenizerConfig?.value as object | undefined) ?? null,
    sentenceTransformers: settings,
    identity: { repo: named.name, nameSource: named.nameSource, revision: source.revision, commit: source.commit(), weightsSha256, tokenizerSha256: await sha256OfBytes(tokenizerFile.bytes) },
    files: [...read, ...files.map((f) => ({ name: f.name, bytes: f.bytes.length }))],
    dtypes: [...dtypes].sort(),
  };
}
