// The name of a checkpoint loaded from local files: the user's, else config.json's _name_or_path, else one made from its weights' hash.

/** Where an identity's name came from; the sha-256s beside it are what adapters are checked against. */
export type NameSource = 'hub' | 'given' | 'config' | 'hash' | 'shipped';

/** Revision recorded for checkpoints read from local files (they have no Hub revision or commit). */
export const LOCAL_REVISION = 'local';

/**
 * A resolvable name for local files, for lineage and for base_model_name_or_path in exports: what the user typed
 * (a Hub repo id or a folder), else the `_name_or_path` transformers writes into config.json when it saves a model,
 * else `local-<model_type>-<first 12 hex digits of the weights' sha-256>`, which at least names these exact weights.
 */
export function localModelName(given: string | null | undefined, rawConfig: unknown, modelType: string, weightsSha256: string): { name: string; nameSource: NameSource } {
  const typed = given?.trim();
  if (typed) return { name: typed, nameSource: 'given' };
  const fromConfig = (rawConfig as { _name_or_path?: unknown } | null)?._name_or_path;
  if (typeof fromConfig === 'string' && fromConfig.trim()) return { name: fromConfig.trim(), nameSource: 'config' };
  return { name: `local-${modelType}-${weightsSha256.slice(0, 12)}`, nameSource: 'hash' };
}
