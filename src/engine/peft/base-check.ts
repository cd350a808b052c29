// Is an adapter for this base? By sha-256 when it says which weights it was trained on, else by name: refuse a mismatch, warn when unsure.
import { AdapterMismatchError } from '../errors';
import type { CheckpointIdentity } from '../hub/load';
import { LOCAL_REVISION } from '../hub/local-identity';
import { baseNoun, checkLineage, describeBase, type LineageManifest } from './lineage';

/** The base's identity TuneLab writes into adapter_model.safetensors' metadata, so it survives without tunelab_lineage.json. */
export interface BaseStamp {
  name: string;
  weightsSha256: string;
  tokenizerSha256: string;
}

export const STAMP_KEYS = { name: 'tunelab.base_model', weightsSha256: 'tunelab.base_weights_sha256', tokenizerSha256: 'tunelab.base_tokenizer_sha256' } as const;

export function stampMetadata(base: CheckpointIdentity): Record<string, string> {
  return { [STAMP_KEYS.name]: base.repo, [STAMP_KEYS.weightsSha256]: base.weightsSha256, [STAMP_KEYS.tokenizerSha256]: base.tokenizerSha256 };
}

export function readStamp(metadata: Record<string, string>): BaseStamp | null {
  const weightsSha256 = metadata[STAMP_KEYS.weightsSha256];
  const tokenizerSha256 = metadata[STAMP_KEYS.tokenizerSha256];
  return weightsSha256 && tokenizerSha256 ? { name: metadata[STAMP_KEYS.name] ?? '(unnamed)', weightsSha256, tokenizerSha256 } : null;
}

const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const short = (sha: string) => sha.slice(0, 12);
/** "Qwen/Qwen2-0.5B", "/models/qwen2-0.5b/" and "qwen2-0.5b" all end in the same folder name. */
const lastSegment = (name: string) => name.replace(/[\\/]+$/, '').split(/[\\/]/).pop()?.toLowerCase() ?? '';

export interface AdapterBaseClaims {
  lineage: LineageManifest | null;
  stamp: BaseStamp | null;
  /** adapter_config.json's base_model_name_or_path. */
  baseModel: string | null;
}

/**
 * Throws AdapterMismatchError when the adapter says it was trained on other weights or another tokenizer (lineage or
 * stamp: sha-256s), or names another Hub repo than the loaded one. Returns a warning, in words, when only names can
 * be compared and they do not settle it (a local model, a path, or no name at all); null when the base is certain.
 */
export function checkAdapterBase(adapter: AdapterBaseClaims, base: CheckpointIdentity): string | null {
  if (adapter.lineage) {
    checkLineage(adapter.lineage, base);
    return null;
  }
  const against = `${baseNoun(base)} is ${describeBase(base)}`;
  if (adapter.stamp) {
    const { stamp } = adapter;
    if (stamp.weightsSha256 !== base.weightsSha256) {
      throw new AdapterMismatchError(
        `This adapter was trained on ${stamp.name} (weights ${short(stamp.weightsSha256)}, as its adapter_model.safetensors records); ${against}.`,
        `Load ${stamp.name} (the weights whose sha-256 starts ${short(stamp.weightsSha256)}) first, then import the adapter.`,
      );
    }
    if (stamp.tokenizerSha256 !== base.tokenizerSha256) {
      throw new AdapterMismatchError(
        `This adapter was trained with tokenizer ${short(stamp.tokenizerSha256)}; the tokenizer.json of ${baseNoun(base)} is ${short(base.tokenizerSha256)}.`,
        'Load the tokenizer.json the adapter was trained with.',
      );
    }
    return null;
  }
  const named = adapter.baseModel;
  const unsure = 'TuneLab cannot check that it is the same model (the adapter records no sha-256 of its base); if it is not, the adapter’s outputs mean nothing.';
  if (!named) return `This adapter does not name the model it was trained on. ${unsure}`;
  if (named.toLowerCase() === base.repo.toLowerCase()) return base.revision === LOCAL_REVISION && base.nameSource === 'hash' ? `The adapter names “${named}”. ${unsure}` : null;
  if (REPO_ID.test(named) && REPO_ID.test(base.repo)) {
    throw new AdapterMismatchError(`This adapter was trained on ${named}; ${base.revision === LOCAL_REVISION ? against : `the loaded model is ${base.repo}@${base.revision}`}.`, `Load ${named} first, then import the adapter.`);
  }
  if (lastSegment(named) === lastSegment(base.repo)) return null;
  return `This adapter names “${named}” as its base; ${against}. ${unsure}`;
}
