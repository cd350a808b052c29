// sentence-transformers' module files (modules.json, 1_Pooling/config.json, sentence_bert_config.json): read into pooling settings, and written back.
import { CheckpointLayoutError, UnsupportedArchitectureError } from '../errors';
import type { Pooling } from './embedder';

/** How a sentence-transformers model turns token states into its embedding. */
export interface SentenceTransformerSettings {
  pooling: Pooling;
  /** A Normalize module follows the pooling. */
  normalize: boolean;
  /** sentence_bert_config.json's max_seq_length (null: not given; then the model's positions). */
  maxSeqLength: number | null;
  /** sentence_bert_config.json's do_lower_case: lowercase texts before the tokenizer. */
  doLowerCase: boolean;
  /** Where the settings came from: the repository's modules.json, or sentence-transformers' defaults for a plain model (mean pooling, no Normalize). */
  source: 'modules.json' | 'default';
}

/** One entry of modules.json. */
export interface StModuleEntry {
  idx: number;
  name: string;
  path: string;
  type: string;
}

export const MODULES_FILE = 'modules.json';
export const SBERT_CONFIG_FILE = 'sentence_bert_config.json';
export const ST_CONFIG_FILE = 'config_sentence_transformers.json';

const TRANSFORMER = 'sentence_transformers.models.Transformer';
const POOLING = 'sentence_transformers.models.Pooling';
const NORMALIZE = 'sentence_transformers.models.Normalize';

/** sentence-transformers' default for a plain Hugging Face model (no modules.json): Transformer + mean Pooling. */
export const DEFAULT_ST_SETTINGS: SentenceTransformerSettings = { pooling: 'mean', normalize: false, maxSeqLength: null, doLowerCase: false, source: 'default' };

function refuse(what: string, hint = 'Pick a sentence-transformers model made of Transformer, Pooling (mean, cls or lasttoken) and optionally Normalize, such as all-MiniLM-L6-v2.'): never {
  throw new UnsupportedArchitectureError(what, hint);
}

/** modules.json → its entries in order, with the pooling module's folder; refuses module types TuneLab does not run (Dense, …). */
export function parseModulesJson(json: unknown): { modules: StModuleEntry[]; poolingPath: string | null; normalize: boolean } {
  if (!Array.isArray(json)) throw new CheckpointLayoutError('modules.json is not a list of modules.', 'Use the modules.json from the model repository.');
  const modules = json.map((m, i) => {
    const e = m as Partial<StModuleEntry> | null;
    if (!e || typeof e.type !== 'string' || typeof e.path !== 'string') throw new CheckpointLayoutError(`modules.json entry ${i} has no "type" and "path".`, 'Use the modules.json from the model repository.');
    return { idx: typeof e.idx === 'number' ? e.idx : i, name: typeof e.name === 'string' ? e.name : String(i), path: e.path, type: e.type };
  });
  // sentence-transformers ≥ 5 may name classes by their new home (sentence_transformers.sentence_transformer.models.Pooling); the class name decides.
  const kind = (t: string) => t.split('.').pop() as string;
  if (modules.length === 0 || kind(modules[0].type) !== 'Transformer') refuse(`modules.json starts with ${modules[0] ? modules[0].type : 'nothing'}, not ${TRANSFORMER}.`);
  if (modules[0].path !== '') refuse(`The Transformer module lives in the folder "${modules[0].path}" (an older sentence-transformers layout); TuneLab reads the model from the repository root.`, 'Pick a repository that keeps config.json and the weights at its root, as current sentence-transformers models do.');
  let poolingPath: string | null = null;
  let normalize = false;
  for (const m of modules.slice(1)) {
    const k = kind(m.type);
    if (k === 'Pooling' && poolingPath === null && !normalize) poolingPath = m.path;
    else if (k === 'Normalize' && !normalize) normalize = true;
    else refuse(`modules.json has a ${m.type} module ("${m.path}") ${k === 'Dense' ? '(a projection after pooling) ' : ''}that TuneLab does not run; it runs ${TRANSFORMER}, ${POOLING} and ${NORMALIZE}.`);
  }
  if (poolingPath === null) refuse('modules.json has no Pooling module after the Transformer.');
  return { modules, poolingPath, normalize };
}

/** 1_Pooling/config.json → one pooling mode; refuses max, mean-sqrt-len, weighted mean and concatenated modes by name. */
export function parsePoolingConfig(json: unknown, hidden: number): Pooling {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new CheckpointLayoutError('The pooling config.json is not a JSON object.', 'Use 1_Pooling/config.json from the model repository.');
  const c = json as Record<string, unknown>;
  if (typeof c.word_embedding_dimension === 'number' && c.word_embedding_dimension !== hidden) {
    throw new CheckpointLayoutError(`The pooling config says word_embedding_dimension ${c.word_embedding_dimension}, but the encoder's hidden_size is ${hidden}.`, 'The pooling folder belongs to another model; download the repository again.');
  }
  let modes: string[];
  if (typeof c.pooling_mode === 'string') modes = [c.pooling_mode.toLowerCase()];
  else {
    // sentence-transformers' Pooling(**config): a missing pooling_mode_mean_tokens defaults to true.
    const flags: [string, unknown][] = [
      ['cls', c.pooling_mode_cls_token],
      ['mean', c.pooling_mode_mean_tokens ?? true],
      ['max', c.pooling_mode_max_tokens],
      ['mean_sqrt_len_tokens', c.pooling_mode_mean_sqrt_len_tokens],
      ['weightedmean', c.pooling_mode_weightedmean_tokens],
      ['lasttoken', c.pooling_mode_lasttoken],
    ];
    modes = flags.filter(([, on]) => on === true).map(([m]) => m);
  }
  if (modes.length !== 1) refuse(`The pooling config enables ${modes.length === 0 ? 'no mode' : `${modes.join(' + ')} together (concatenated embeddings)`}; TuneLab pools with exactly one of mean, cls or lasttoken.`);
  const mode = modes[0];
  if (mode === 'mean' || mode === 'cls') return mode;
  if (mode === 'lasttoken') return 'last';
  return refuse(`Pooling mode "${mode}" is not supported; TuneLab pools by mean, cls or lasttoken.`);
}

/** sentence_bert_config.json → max_seq_length and do_lower_case. */
export function parseSbertConfig(json: unknown): { maxSeqLength: number | null; doLowerCase: boolean } {
  const c = (json && typeof json === 'object' && !Array.isArray(json) ? json : {}) as Record<string, unknown>;
  const max = c.max_seq_length;
  if (max != null && (typeof max !== 'number' || !Number.isInteger(max) || max <= 0)) {
    throw new CheckpointLayoutError(`sentence_bert_config.json's max_seq_length is ${JSON.stringify(max)}; it must be a positive integer.`, 'Use the file from the model repository.');
  }
  return { maxSeqLength: (max as number | undefined) ?? null, doLowerCase: c.do_lower_case === true };
}

const POOLING_KEYS: Record<Pooling, string> = { cls: 'pooling_mode_cls_token', mean: 'pooling_mode_mean_tokens', last: 'pooling_mode_lasttoken' };

/**
 * The module files sentence-transformers writes and reads for Transformer → Pooling (→ Normalize): modules.json,
 * sentence_bert_config.json, 1_Pooling/config.json, config_sentence_transformers.json, and the (empty) 2_Normalize
 * folder, as a zip entry "2_Normalize/" (Normalize has no config; SentenceTransformer(path) builds it from modules.json).
 */
export function sentenceTransformerModuleFiles(settings: Pick<SentenceTransformerSettings, 'pooling' | 'normalize' | 'maxSeqLength' | 'doLowerCase'>, hidden: number): Record<string, Uint8Array> {
  const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2) + '\n');
  const modules: StModuleEntry[] = [
    { idx: 0, name: '0', path: '', type: TRANSFORMER },
    { idx: 1, name: '1', path: '1_Pooling', type: POOLING },
  ];
  if (settings.normalize) modules.push({ idx: 2, name: '2', path: '2_Normalize', type: NORMALIZE });
  const pooling: Record<string, unknown> = { word_embedding_dimension: hidden };
  for (const key of ['pooling_mode_cls_token', 'pooling_mode_mean_tokens', 'pooling_mode_max_tokens', 'pooling_mode_mean_sqrt_len_tokens', 'pooling_mode_weightedmean_tokens', 'pooling_mode_lasttoken']) {
    pooling[key] = key === POOLING_KEYS[settings.pooling];
  }
  pooling.include_prompt = true;
  const files: Record<string, Uint8Array> = {
    [MODULES_FILE]: json(modules),
    [SBERT_CONFIG_FILE]: json({ max_seq_length: settings.maxSeqLength, do_lower_case: settings.doLowerCase }),
    '1_Pooling/config.json': json(pooling),
    [ST_CONFIG_FILE]: json({ prompts: {}, default_prompt_name: null, similarity_fn_name: 'cosine' }),
  };
  if (settings.normalize) files['2_Normalize/'] = new Uint8Array(0);
  return files;
}
