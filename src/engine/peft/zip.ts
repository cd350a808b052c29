// Zip and unzip file bundles (adapter, scale-out run) with fflate; names are checked so a zip cannot smuggle paths.
import { unzipSync, zipSync } from 'fflate';
import { AdapterFormatError } from '../errors';

/** File name → bytes; names are flat or use '/' for folders, never '..' or absolute. */
export type FileBundle = Record<string, Uint8Array>;

export function zipBundle(files: FileBundle): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, bytes] of Object.entries(files)) entries[name] = bytes;
  return zipSync(entries, { level: 6 });
}

/** Unzips, dropping folders and keeping each file under its base name (zips often wrap files in a folder). */
export function unzipBundle(bytes: Uint8Array): FileBundle {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new AdapterFormatError(`This is not a readable zip file (${(e as Error).message}).`, 'Pick the adapter zip, or the adapter_config.json and adapter_model.safetensors files themselves.');
  }
  const out: FileBundle = {};
  for (const [path, data] of Object.entries(entries)) {
    if (path.endsWith('/')) continue;
    const base = path.split('/').pop() as string;
    if (base.startsWith('.') || path.startsWith('__MACOSX/')) continue;
    out[base] = data;
  }
  return out;
}
